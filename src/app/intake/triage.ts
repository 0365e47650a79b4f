import { appendAudit } from '../../adapters/store/auditLog.ts';
import {
  emailAttachmentNames,
  findEmailReferral,
  markEmailConverted,
  markEmailNotReferral,
} from '../../adapters/store/emailReferralRepository.ts';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { londonDateTime } from '../../domain/time/formatLondon.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import { type AdaptiveCard, renderCard } from '../cards/cardTemplates.ts';
import { escapeMarkdown } from '../cards/cardText.ts';
import type { Actor } from '../teams/actor.ts';

export interface EmailDraft {
  readonly id: string;
  readonly status: string;
  readonly fromAddress: string | null;
  readonly fromName: string | null;
  readonly subject: string | null;
  readonly bodyPreview: string | null;
  readonly receivedAt: Date | null;
  readonly attachments: string[];
}

export async function findEmailDraft(db: SqlExecutor, id: string): Promise<EmailDraft | undefined> {
  const r = await findEmailReferral(db, id);
  if (!r) return undefined;
  const attachments = await emailAttachmentNames(db, id);
  return {
    id: r.id,
    status: r.status,
    fromAddress: r.from_address,
    fromName: r.from_name,
    subject: r.subject,
    bodyPreview: r.body_preview,
    receivedAt: r.received_at,
    attachments,
  };
}

/**
 * The triage card: 1:1 to the business manager only (the email may name the child). It asks when the
 * local authority became aware, if before the email (seed 002: often a strategy meeting or the CDOP),
 * which "Complete as a referral" carries into the form; it can be no later than the email's day.
 */
export function triageCard(
  draft: EmailDraft,
  notice = '',
  options: { noticeStyle?: 'good' | 'attention'; laAwareOn?: string; today?: string } = {},
): AdaptiveCard {
  const awareMax = draft.receivedAt ? londonDateOf(draft.receivedAt) : (options.today ?? '');
  return renderCard('triageCard', {
    emailReferralId: draft.id,
    from: escapeMarkdown(`${draft.fromName ?? ''} <${draft.fromAddress ?? 'unknown'}>`.trim()),
    subject: escapeMarkdown(draft.subject ?? '(no subject)'),
    receivedText: draft.receivedAt ? londonDateTime(draft.receivedAt) : 'unknown',
    attachmentsText: draft.attachments.length ? escapeMarkdown(draft.attachments.join(', ')) : 'none',
    preview: escapeMarkdown(draft.bodyPreview ?? ''),
    notice,
    noticeStyle: options.noticeStyle ?? 'good',
    laAwareOn: options.laAwareOn ?? '',
    awareMax,
  });
}

export async function isBusinessManager(ctx: AppContext, actor: Actor): Promise<boolean> {
  return (await rolesOf(ctx.db, actor.aadObjectId)).some((r) => r.role === 'business_manager');
}

/** "Not a referral": the draft is closed, and the decision is audited with who made it. */
export async function dismissEmailDraft(ctx: AppContext, draftId: string, actor: Actor): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    if (!(await markEmailNotReferral(tx, draftId, actor.aadObjectId, ctx.now()))) return 'This email has already been triaged.';
    await appendAudit(tx, {
      at: ctx.now(),
      actor: actor.aadObjectId,
      action: 'email_not_referral',
      caseId: null,
      details: { emailReferralId: draftId },
    });
    return 'Marked as not a referral.';
  });
}

/**
 * Links a draft to the case made from it (the referral form was completed from the triage card), in
 * the case's own transaction. False when it was no longer a draft (triaged meanwhile): nothing is marked.
 */
export async function convertEmailDraft(tx: SqlExecutor, draftId: string, caseId: string, actorId: string, at: Date): Promise<boolean> {
  if (!(await markEmailConverted(tx, draftId, caseId, actorId, at))) return false;
  await appendAudit(tx, { at, actor: actorId, action: 'email_converted', caseId, details: { emailReferralId: draftId } });
  return true;
}
