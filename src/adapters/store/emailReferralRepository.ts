import type { SqlExecutor } from './sqlExecutor.ts';

/**
 * Emails to the partnership mailbox kept as drafts for triage (one per Graph message id), with their
 * attachments; a draft ends as not_referral or converted (linked to the case made from it).
 */

export async function emailReferralExists(db: SqlExecutor, messageId: string): Promise<boolean> {
  const seen = await db.query('SELECT 1 FROM email_referrals WHERE message_id = $1', [messageId]);
  return seen.rows.length > 0;
}

/** Keeps the email as a draft unless its message is already kept; returns whether this call kept it. */
export async function insertEmailReferral(
  tx: SqlExecutor,
  e: {
    id: string;
    messageId: string;
    receivedAt: Date | null;
    fromAddress: string | null;
    fromName: string | null;
    subject: string;
    bodyPreview: string;
    createdAt: Date;
  },
): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO email_referrals (id, message_id, received_at, from_address, from_name, subject, body_preview, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
    [e.id, e.messageId, e.receivedAt, e.fromAddress, e.fromName, e.subject, e.bodyPreview, e.createdAt],
  );
  return rows.length > 0;
}

export async function insertEmailAttachment(
  tx: SqlExecutor,
  emailReferralId: string,
  a: { name: string; contentType: string | null; size: number | null; content: Buffer | null },
): Promise<void> {
  await tx.query('INSERT INTO email_attachments (email_referral_id, name, content_type, size, content) VALUES ($1, $2, $3, $4, $5)', [
    emailReferralId,
    a.name,
    a.contentType,
    a.size,
    a.content,
  ]);
}

export interface EmailReferralRow {
  id: string;
  status: string;
  from_address: string | null;
  from_name: string | null;
  subject: string | null;
  body_preview: string | null;
  received_at: Date | null;
}

export async function findEmailReferral(db: SqlExecutor, id: string): Promise<EmailReferralRow | undefined> {
  const { rows } = await db.query<EmailReferralRow>(
    'SELECT id, status, from_address, from_name, subject, body_preview, received_at FROM email_referrals WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** The names of the draft's attachments, in the order they were kept. */
export async function emailAttachmentNames(db: SqlExecutor, emailReferralId: string): Promise<string[]> {
  const files = await db.query<{ name: string }>('SELECT name FROM email_attachments WHERE email_referral_id = $1 ORDER BY id', [
    emailReferralId,
  ]);
  return files.rows.map((f) => f.name);
}

/** "Not a referral": returns whether the draft was still a draft (and so is now closed). */
export async function markEmailNotReferral(tx: SqlExecutor, id: string, decidedBy: string, at: Date): Promise<boolean> {
  const { rows } = await tx.query(
    `UPDATE email_referrals SET status = 'not_referral', decided_by = $2, decided_at = $3 WHERE id = $1 AND status = 'draft' RETURNING id`,
    [id, decidedBy, at],
  );
  return rows.length > 0;
}

/** Returns whether the draft was still a draft (and so is now linked to the case). */
export async function markEmailConverted(tx: SqlExecutor, id: string, caseId: string, decidedBy: string, at: Date): Promise<boolean> {
  const { rows } = await tx.query(
    `UPDATE email_referrals SET status = 'converted', case_id = $2, decided_by = $3, decided_at = $4 WHERE id = $1 AND status = 'draft' RETURNING id`,
    [id, caseId, decidedBy, at],
  );
  return rows.length > 0;
}
