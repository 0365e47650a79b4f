import { appendAudit } from '../../adapters/store/auditLog.ts';
import { appendCaseEvent } from '../../adapters/store/caseEventRepository.ts';
import { findCaseBySubmissionKey, insertCase, nextCaseReference } from '../../adapters/store/caseRepository.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { initialStage } from '../../domain/case/initialStage.ts';
import type { ClockView } from '../../domain/clocks/computeClocks.ts';
import { summarise } from '../../domain/referral/caseSummary.ts';
import { parseReferral } from '../../domain/referral/parseReferral.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import { ValidationError } from '../../domain/validation/validationError.ts';
import type { AppContext } from '../appContext.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import { recordCaseEvent } from '../cases/recordCaseEvent.ts';
import { refreshClocks } from '../cases/refreshClocks.ts';
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
 */
export async function submitReferral(
  ctx: AppContext,
  input: unknown,
  submittedBy: string,
  options: { submissionKey?: string } = {},
): Promise<SubmittedReferral> {
  const receivedAt = ctx.now();
  const today = londonDateOf(receivedAt);
  const referral = parseReferral(input, today);
  if (!ctx.profile.localAuthorities.includes(referral.child.localAuthority)) {
    throw new ValidationError(
      [{ field: 'child.localAuthority', message: `must be one of ${ctx.profile.localAuthorities.join(', ')}` }],
      'referral',
    );
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
        createdAt: receivedAt,
        closedAt: null,
      };
      await insertCase(tx, record, referral, key);
      // A learning request is not a notification: it books no DSP call (the profile's meeting is for the notification decision).
      if (referral.type === 'serious_incident_notification') {
        await recordCaseEvent(tx, ctx, record.id, {
          type: 'referral_received',
          at: receivedAt,
          data: { referralType: referral.type },
          actor: submittedBy,
        });
      } else {
        await appendCaseEvent(tx, record.id, {
          type: 'referral_received',
          at: receivedAt,
          data: { referralType: referral.type },
          actor: submittedBy,
          recordedAt: receivedAt,
        });
      }
      if (referral.type === 'serious_incident_notification') {
        // The Panel must be notified within 5 working days of the LA becoming aware (000, 001, 002, 004).
        // The LA is a partner, so it is aware no later than the partnership: count from receipt unless an
        // earlier date is recorded. Counting from the DSPs' decision instead would hide lost days.
        await appendCaseEvent(tx, record.id, {
          type: 'la_aware',
          at: receivedAt,
          data: { basis: 'referral_received' },
          actor: 'system:referral',
          recordedAt: receivedAt,
        });
      }
      await appendAudit(tx, {
        at: receivedAt,
        actor: submittedBy,
        action: 'referral_submitted',
        caseId: record.id,
        details: { reference, type: referral.type },
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
