import type { SqlExecutor } from './sqlExecutor.ts';

/**
 * `info_request` cards are kept per agency item: their recipient is "<object id>|<item id>";
 * `alert` cards per alert: their recipient is the alert's id; `meeting` cards (in the case's thread)
 * per meeting and card: their recipient is "<meeting id>|<card>" (app/meetings/meetingCardKey.ts).
 */
export type CaseMessagePurpose = 'channel_card' | 'dsp_copy' | 'notifier_card' | 'info_request' | 'alert' | 'meeting';

export interface CaseMessage {
  readonly caseId: string;
  readonly purpose: CaseMessagePurpose;
  /** Entra object id for a 1:1 copy; '' for the channel card. */
  readonly recipient: string;
  readonly conversationId: string;
  readonly activityId: string;
  readonly postedAt: Date;
  /** A hash of the card it last showed (null: not known), so an unchanged card is not updated again. */
  readonly cardHash?: string | null;
}

export async function saveCaseMessage(db: SqlExecutor, m: CaseMessage): Promise<void> {
  await db.query(
    `INSERT INTO case_messages (case_id, purpose, recipient, conversation_id, activity_id, posted_at, card_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (case_id, purpose, recipient) DO UPDATE SET conversation_id = EXCLUDED.conversation_id,
       activity_id = EXCLUDED.activity_id, posted_at = EXCLUDED.posted_at, card_hash = EXCLUDED.card_hash`,
    [m.caseId, m.purpose, m.recipient, m.conversationId, m.activityId, m.postedAt, m.cardHash ?? null],
  );
}

export async function listCaseMessages(db: SqlExecutor, caseId: string): Promise<CaseMessage[]> {
  const { rows } = await db.query<{
    case_id: string;
    purpose: CaseMessagePurpose;
    recipient: string;
    conversation_id: string;
    activity_id: string;
    posted_at: Date;
    card_hash: string | null;
  }>('SELECT * FROM case_messages WHERE case_id = $1 ORDER BY purpose, recipient', [caseId]);
  return rows.map((r) => ({
    caseId: r.case_id,
    purpose: r.purpose,
    recipient: r.recipient,
    conversationId: r.conversation_id,
    activityId: r.activity_id,
    postedAt: r.posted_at,
    cardHash: r.card_hash,
  }));
}

/** The message was answered in place by an invoke: what it shows is no longer known. */
export async function forgetCardShown(db: SqlExecutor, activityId: string): Promise<void> {
  await db.query('UPDATE case_messages SET card_hash = NULL WHERE activity_id = $1 AND card_hash IS NOT NULL', [activityId]);
}

/** Records what a card now shows, after it was updated. */
export async function recordCardShown(
  db: SqlExecutor,
  m: Pick<CaseMessage, 'caseId' | 'purpose' | 'recipient'>,
  cardHash: string,
): Promise<void> {
  await db.query('UPDATE case_messages SET card_hash = $4 WHERE case_id = $1 AND purpose = $2 AND recipient = $3', [
    m.caseId,
    m.purpose,
    m.recipient,
    cardHash,
  ]);
}
