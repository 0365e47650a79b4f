import { appendAudit } from '../../adapters/store/auditLog.ts';
import { appendCaseEvent } from '../../adapters/store/caseEventRepository.ts';
import { findCaseBySubmissionKey, insertCase, nextCaseReference } from '../../adapters/store/caseRepository.ts';
import { findEmailReferral } from '../../adapters/store/emailReferralRepository.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { initialStage } from '../../domain/case/initialStage.ts';
import type { ClockView } from '../../domain/clocks/computeClocks.ts';
import { summarise } from '../../domain/referral/caseSummary.ts';
import type { AwarenessBasis } from '../../domain/referral/laAwareness.ts';
import { parseReferral } from '../../domain/referral/parseReferral.ts';
import { referralFacts } from '../../domain/referral/referralFacts.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import { ValidationError } from '../../domain/validation/validationError.ts';
import type { AppContext } from '../appContext.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import { recordCaseEvent } from '../cases/recordCaseEvent.ts';
import { refreshClocks } from '../cases/refreshClocks.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { convertEmailDraft } from '../intake/triage.ts';
import { queueNewCaseAnnouncement } from '../teams/caseAnnouncements.ts';

export interface SubmittedReferral {
  readonly case: CaseRecord;
  readonly clocks: readonly ClockView[];
  /** True when this submission had already opened the case (a retried request): nothing new was written. */
  readonly repeated?: boolean;
}

/**
 * A referral arrives: validate it, open the case with its reference, start its clocks and audit it,
 * all in one transaction. Invalid input throws a ValidationError naming the fields; nothing is written.
 *
 * A referral completed from an email (`emailReferralId`) was received when the email arrived, not when
 * the business manager completed the form days later: the case's receipt, and so the clocks that run
 * from it (000 L42: the DSP decision "within two working days of the ... Form being received"), are
 * the email's. The email is marked converted in the same transaction, so it makes one case.
 */
export async function submitReferral(
  ctx: AppContext,
  input: unknown,
  submittedBy: string,
  options: { submissionKey?: string; emailReferralId?: string } = {},
): Promise<SubmittedReferral> {
  const now = ctx.now();
  const today = londonDateOf(now);
  const email = options.emailReferralId ? await findEmailReferral(ctx.db, options.emailReferralId) : undefined;
  if (options.emailReferralId && !email) throw new NotFoundError('That email was not found in the partnership mailbox.');
  // An email cannot have arrived after now; a clock skewed the other way is not allowed to move it.
  const receivedAt = email?.received_at && email.received_at < now ? email.received_at : now;
  const receivedOn = londonDateOf(receivedAt);
  const referral = parseReferral(input, today, receivedOn);
  if (!ctx.profile.localAuthorities.includes(referral.child.localAuthority)) {
    throw new ValidationError(
      [{ field: 'child.localAuthority', message: `must be one of ${ctx.profile.localAuthorities.join(', ')}` }],
      'referral',
    );
  }
  // Only Stockport's form offers the escalation pathway (003 Appendix A 1.2 C): elsewhere it is no field of the form.
  if (referral.escalation && !ctx.profile.referralForm?.escalationPathway) {
    throw new ValidationError([{ field: 'escalation', message: "is not a pathway on this partnership's referral form" }], 'referral');
  }
  const key = options.submissionKey ?? null;
  const opened = await ctx.db
    .transaction(async (tx) => {
      // Taking the next reference locks the year's counter, so the same submission arriving twice at
      // once queues here and the second sees the first's case; it then rolls back (no number used up).
      const reference = await nextCaseReference(tx, ctx.profile.referencePrefix, Number(today.slice(0, 4)));
      const earlier = key ? await findCaseBySubmissionKey(tx, key) : undefined;
      if (earlier) throw new AlreadySubmitted(earlier);
      const record: CaseRecord = {
        id: ctx.newId(),
        reference,
        profileId: ctx.profile.id,
        localAuthority: referral.child.localAuthority,
        type: referral.type,
        stage: initialStage(ctx.profile, referral.type),
        summary: summarise(referral),
        receivedAt,
        createdAt: now,
        closedAt: null,
      };
      await insertCase(tx, record, referral, key);
      if (email && !(await convertEmailDraft(tx, email.id, record.id, submittedBy, now)))
        throw new ConflictError('This email has already been triaged: it is a case already, or marked as not a referral.');
      const via = email ? { via: 'email', emailReferralId: email.id } : {};
      // A learning request is not a notification: it books no DSP call (the profile's meeting is for the notification decision).
      if (referral.type === 'serious_incident_notification') {
        await recordCaseEvent(tx, ctx, record.id, {
          type: 'referral_received',
          at: receivedAt,
          data: { ...referralFacts(referral), ...via },
          actor: submittedBy,
        });
      } else {
        await appendCaseEvent(tx, record.id, {
          type: 'referral_received',
          at: receivedAt,
          data: { ...referralFacts(referral), ...via },
          actor: submittedBy,
          recordedAt: now,
        });
      }
      const awareOn = referral.incident.laAwareOn ?? receivedOn;
      const basis: AwarenessBasis = referral.incident.laAwareOn ? 'referral_form' : 'referral_received';
      if (referral.type === 'serious_incident_notification') {
        // The Panel must be notified within 5 working days of the LA becoming aware (000, 001, 002, 004):
        // the form's date when it gives one (a strategy meeting, the CDOP: 002), else the receipt, as the
        // LA is a partner and aware no later than the partnership. Counting from the DSPs' decision, or
        // from when the form was completed, would hide lost days. A correction is a later la_aware event.
        await appendCaseEvent(tx, record.id, {
          type: 'la_aware',
          at: receivedAt,
          data: { awareOn, basis },
          actor: 'system:referral',
          recordedAt: now,
        });
      }
      await appendAudit(tx, {
        at: now,
        actor: submittedBy,
        action: 'referral_submitted',
        caseId: record.id,
        details: {
          reference,
          type: referral.type,
          receivedAt: receivedAt.toISOString(),
          ...(referral.type === 'serious_incident_notification' ? { laAwareOn: awareOn, laAwareBasis: basis } : {}),
          ...via,
        },
      });
      const clocks = await refreshClocks(tx, ctx, record.id);
      await queueNewCaseAnnouncement(tx, ctx, record);
      return { case: record, clocks };
    })
    .catch((error: unknown) => {
      if (!(error instanceof AlreadySubmitted)) throw error;
      return undefined;
    });
  if (opened) return opened;
  const earlier = (await findCaseBySubmissionKey(ctx.db, key!))!;
  return { case: earlier, clocks: (await loadCaseSnapshot(ctx, earlier.id)).clocks, repeated: true };
}

/** Rolls the transaction back when this submission already opened its case. */
class AlreadySubmitted extends Error {
  constructor(readonly record: CaseRecord) {
    super(`already submitted as ${record.reference}`);
  }
}
