import { appendAudit } from '../../adapters/store/auditLog.ts';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { londonDateTime } from '../../domain/time/formatLondon.ts';
import type { AppContext } from '../appContext.ts';
import { renderCard, type AdaptiveCard } from '../cards/cardTemplates.ts';
import { escapeMarkdown } from '../cards/cardText.ts';
import type { Actor } from '../teams/actor.ts';

export interface EmailDraft {
  readonly id: string; readonly status: string; readonly fromAddress: string | null; readonly fromName: string | null;
  readonly subject: string | null; readonly bodyPreview: string | null; readonly receivedAt: Date | null; readonly attachments: string[];
}

export async function findEmailDraft(db: SqlExecutor, id: string): Promise<EmailDraft | undefined> {
  const { rows } = await db.query<{ id: string; status: string; from_address: string | null; from_name: string | null; subject: string | null; body_preview: string | null; received_at: Date | null }>(
    'SELECT id, status, from_address, from_name, subject, body_preview, received_at FROM email_referrals WHERE id = $1', [id]);
  const r = rows[0];
  if (!r) return undefined;
  const files = await db.query<{ name: string }>('SELECT name FROM email_attachments WHERE email_referral_id = $1 ORDER BY id', [id]);
  return { id: r.id, status: r.status, fromAddress: r.from_address, fromName: r.from_name, subject: r.subject, bodyPreview: r.body_preview, receivedAt: r.received_at, attachments: files.rows.map((f) => f.name) };
}

/** The triage card: 1:1 to the business manager only (the email may name the child). */
export function triageCard(draft: EmailDraft, notice = ''): AdaptiveCard {
  return renderCard('triageCard', {
    emailReferralId: draft.id,
    from: escapeMarkdown(`${draft.fromName ?? ''} <${draft.fromAddress ?? 'unknown'}>`.trim()),
    subject: escapeMarkdown(draft.subject ?? '(no subject)'),
    receivedText: draft.receivedAt ? londonDateTime(draft.receivedAt) : 'unknown',
    attachmentsText: draft.attachments.length ? escapeMarkdown(draft.attachments.join(', ')) : 'none',
    preview: escapeMarkdown(draft.bodyPreview ?? ''),
    notice,
  });
}

export async function isBusinessManager(ctx: AppContext, actor: Actor): Promise<boolean> {
  return (await rolesOf(ctx.db, actor.aadObjectId)).some((r) => r.role === 'business_manager');
}

/** "Not a referral": the draft is closed, and the decision is audited with who made it. */
export async function dismissEmailDraft(ctx: AppContext, draftId: string, actor: Actor): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query(`UPDATE email_referrals SET status = 'not_referral', decided_by = $2, decided_at = $3 WHERE id = $1 AND status = 'draft' RETURNING id`, [draftId, actor.aadObjectId, ctx.now()]);
    if (rows.length === 0) return 'This email has already been triaged.';
    await appendAudit(tx, { at: ctx.now(), actor: actor.aadObjectId, action: 'email_not_referral', caseId: null, details: { emailReferralId: draftId } });
    return 'Marked as not a referral.';
  });
}

/** Links a draft to the case made from it (the referral form was completed from the triage card). */
export async function convertEmailDraft(tx: SqlExecutor, draftId: string, caseId: string, actor: Actor, at: Date): Promise<void> {
  await tx.query(`UPDATE email_referrals SET status = 'converted', case_id = $2, decided_by = $3, decided_at = $4 WHERE id = $1 AND status = 'draft'`, [draftId, caseId, actor.aadObjectId, at]);
  await appendAudit(tx, { at, actor: actor.aadObjectId, action: 'email_converted', caseId, details: { emailReferralId: draftId } });
}
