import { appendAudit } from '../../adapters/store/auditLog.ts';
import { emailReferralExists, insertEmailAttachment, insertEmailReferral } from '../../adapters/store/emailReferralRepository.ts';
import { findMailboxDeltaLink, saveMailboxDeltaLink } from '../../adapters/store/mailboxStateRepository.ts';
import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import { holdersOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { AppContext } from '../appContext.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';
import type { MailboxReader } from './mailboxReader.ts';

/**
 * Looks at the partnership mailbox for new emails. Each becomes a draft (its attachments kept) and
 * the business manager gets a triage card for it, once. Nothing is decided automatically. A crash
 * before the delta link is saved only means the same messages are seen again: drafts are keyed by
 * message id.
 */
export async function pollMailbox(ctx: AppContext, reader: MailboxReader, mailbox: string): Promise<{ newDrafts: number }> {
  const { messages, deltaLink } = await reader.changes(mailbox, await findMailboxDeltaLink(ctx.db, mailbox));
  let newDrafts = 0;
  for (const message of messages) {
    if (await emailReferralExists(ctx.db, message.id)) continue;
    const attachments = message.hasAttachments ? await reader.attachments(mailbox, message.id) : [];
    const now = ctx.now();
    const created = await ctx.db.transaction(async (tx) => {
      const id = ctx.newId();
      const kept = await insertEmailReferral(tx, {
        id,
        messageId: message.id,
        receivedAt: message.receivedAt,
        fromAddress: message.fromAddress,
        fromName: message.fromName,
        subject: message.subject.slice(0, 500),
        bodyPreview: message.bodyPreview.slice(0, 2000),
        createdAt: now,
      });
      if (!kept) return false;
      for (const a of attachments) {
        await insertEmailAttachment(tx, id, {
          name: a.name,
          contentType: a.contentType,
          size: a.size,
          content: a.contentBase64 ? Buffer.from(a.contentBase64, 'base64') : null,
        });
      }
      for (const manager of await holdersOf(tx, 'business_manager')) {
        await enqueueMessage(
          tx,
          {
            dedupeKey: dedupeKeys.triageCard(id, manager.userId),
            caseId: null,
            kind: 'triage_card',
            recipient: manager.userId,
            payload: { emailReferralId: id },
            availableAt: now,
          },
          now,
        );
      }
      // The subject may name the child: the audit keeps the message id and sender only.
      await appendAudit(tx, {
        at: now,
        actor: 'system:mailbox',
        action: 'email_received',
        caseId: null,
        details: { emailReferralId: id, messageId: message.id, from: message.fromAddress, attachments: attachments.length },
      });
      return true;
    });
    if (created) newDrafts += 1;
  }
  await saveMailboxDeltaLink(ctx.db, mailbox, deltaLink, ctx.now());
  return { newDrafts };
}
