import { appendAudit } from '../../adapters/store/auditLog.ts';
import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import { holdersOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { AppContext } from '../appContext.ts';
import type { MailboxReader } from './mailboxReader.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';

/**
 * Looks at the partnership mailbox for new emails. Each becomes a draft (its attachments kept) and
 * the business manager gets a triage card for it, once. Nothing is decided automatically. A crash
 * before the delta link is saved only means the same messages are seen again: drafts are keyed by
 * message id.
 */
export async function pollMailbox(ctx: AppContext, reader: MailboxReader, mailbox: string): Promise<{ newDrafts: number }> {
  const state = await ctx.db.query<{ delta_link: string | null }>('SELECT delta_link FROM mailbox_state WHERE mailbox = $1', [mailbox]);
  const { messages, deltaLink } = await reader.changes(mailbox, state.rows[0]?.delta_link ?? null);
  let newDrafts = 0;
  for (const message of messages) {
    const seen = await ctx.db.query('SELECT 1 FROM email_referrals WHERE message_id = $1', [message.id]);
    if (seen.rows.length > 0) continue;
    const attachments = message.hasAttachments ? await reader.attachments(mailbox, message.id) : [];
    const now = ctx.now();
    const created = await ctx.db.transaction(async (tx) => {
      const id = ctx.newId();
      const { rows } = await tx.query(
        `INSERT INTO email_referrals (id, message_id, received_at, from_address, from_name, subject, body_preview, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
        [id, message.id, message.receivedAt, message.fromAddress, message.fromName, message.subject.slice(0, 500), message.bodyPreview.slice(0, 2000), now]);
      if (rows.length === 0) return false;
      for (const a of attachments) {
        await tx.query('INSERT INTO email_attachments (email_referral_id, name, content_type, size, content) VALUES ($1, $2, $3, $4, $5)',
          [id, a.name, a.contentType, a.size, a.contentBase64 ? Buffer.from(a.contentBase64, 'base64') : null]);
      }
      for (const manager of await holdersOf(tx, 'business_manager')) {
        await enqueueMessage(tx, { dedupeKey: dedupeKeys.triageCard(id, manager.userId), caseId: null, kind: 'triage_card', recipient: manager.userId, payload: { emailReferralId: id }, availableAt: now }, now);
      }
      // The subject may name the child: the audit keeps the message id and sender only.
      await appendAudit(tx, { at: now, actor: 'system:mailbox', action: 'email_received', caseId: null, details: { emailReferralId: id, messageId: message.id, from: message.fromAddress, attachments: attachments.length } });
      return true;
    });
    if (created) newDrafts += 1;
  }
  await ctx.db.query(
    `INSERT INTO mailbox_state (mailbox, delta_link, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (mailbox) DO UPDATE SET delta_link = EXCLUDED.delta_link, updated_at = EXCLUDED.updated_at`,
    [mailbox, deltaLink, ctx.now()]);
  return { newDrafts };
}
