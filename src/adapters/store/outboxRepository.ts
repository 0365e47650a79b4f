import type { Database, SqlExecutor } from './sqlExecutor.ts';

export type OutboxKind =
  | 'teams_dm'
  | 'channel_reply'
  | 'channel_post'
  | 'email'
  | 'book_meeting'
  | 'case_email'
  | 'triage_card'
  | 'info_request'
  // The posts that follow a change to a case: its thread, the DSPs' copies, notes in the thread, the
  // refresh of every card the case has, the notifier's card and the full details sent 1:1.
  | 'case_thread'
  | 'dsp_copy'
  | 'thread_note'
  | 'case_refresh'
  | 'notifier_card'
  | 'details_card';

export interface NewOutboxMessage {
  /** What makes two messages the same message: (clock, level, recipient) for alerts. */
  readonly dedupeKey: string;
  readonly caseId: string | null;
  readonly kind: OutboxKind;
  /** Entra object id for a person; the channel id for channel messages. */
  readonly recipient: string;
  readonly payload: Record<string, unknown>;
  readonly availableAt: Date;
  /** 'held': waits for an adapter that is not configured yet (email before Outlook). */
  readonly status?: 'pending' | 'held';
}

export interface OutboxMessage extends NewOutboxMessage {
  readonly id: number;
  readonly status: 'pending' | 'held';
  readonly attempts: number;
  readonly reclaims: number;
  /**
   * The instance that held this message crashed (or hung past its lease) while sending it: it may
   * already have reached Teams, so this is a resend, recorded as such. A message claimed but not yet
   * being sent by a crashed instance is simply taken over.
   */
  readonly resend: boolean;
  /** This claim's own token: only its holder may mark the message sending or finish it. */
  readonly claimToken: string;
}

/** Adds a message unless one with the same dedupe key exists. Returns whether it was added. */
export async function enqueueMessage(tx: SqlExecutor, m: NewOutboxMessage, now: Date): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO outbox (dedupe_key, case_id, kind, recipient, payload, status, available_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [m.dedupeKey, m.caseId, m.kind, m.recipient, JSON.stringify(m.payload), m.status ?? 'pending', m.availableAt, now],
  );
  return rows.length === 1;
}

/**
 * Asks for a message that should go once with the latest state however often it is asked for (a
 * case's card refresh): one row per dedupe key, re-armed once it has gone. Asked for while it is
 * being sent, it is marked to go once more when that send finishes, since what was sent may predate
 * the change.
 */
export async function enqueueCoalesced(tx: SqlExecutor, m: NewOutboxMessage, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO outbox (dedupe_key, case_id, kind, recipient, payload, status, available_at, created_at)
     VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)
     ON CONFLICT (dedupe_key) DO UPDATE SET
       again = outbox.status = 'claimed',
       status = CASE WHEN outbox.status = 'claimed' THEN outbox.status ELSE 'pending' END,
       available_at = CASE WHEN outbox.status = 'pending' THEN least(outbox.available_at, EXCLUDED.available_at)
                           WHEN outbox.status = 'claimed' THEN outbox.available_at ELSE EXCLUDED.available_at END,
       attempts = CASE WHEN outbox.status IN ('sent', 'failed', 'cancelled') THEN 0 ELSE outbox.attempts END,
       last_error = CASE WHEN outbox.status IN ('sent', 'failed', 'cancelled') THEN NULL ELSE outbox.last_error END`,
    [m.dedupeKey, m.caseId, m.kind, m.recipient, JSON.stringify(m.payload), m.availableAt, now],
  );
}

interface OutboxRow {
  id: number;
  dedupe_key: string;
  case_id: string | null;
  kind: OutboxKind;
  recipient: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'held';
  available_at: Date;
  attempts: number;
  reclaims: number;
  was_sending: boolean;
  claim_token: string;
}

/**
 * Claims up to `limit` messages ready to send, under row locks that other instances skip, with a
 * lease. A message whose holder's lease ran out (it crashed mid-send) is claimed again and the attempt
 * is recorded as a resend: that one message may reach its recipient twice, and the record says so.
 */
export async function claimMessages(
  db: Database,
  options: { instanceId: string; now: Date; limit: number; leaseMs: number; kinds?: readonly OutboxKind[] },
): Promise<OutboxMessage[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<OutboxRow>(
      `WITH ready AS (
         SELECT id, (status = 'claimed' AND sending_since IS NOT NULL) AS was_sending FROM outbox
         WHERE ((status = 'pending' AND available_at <= $1) OR (status = 'claimed' AND lease_until < $1))
           AND ($5::text[] IS NULL OR kind = ANY($5::text[]))
         ORDER BY available_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE outbox o SET status = 'claimed', claimed_by = $3, claimed_at = $1, lease_until = $4, sending_since = NULL, claim_token = gen_random_uuid(),
         attempts = o.attempts + 1, reclaims = o.reclaims + (CASE WHEN ready.was_sending THEN 1 ELSE 0 END)
       FROM ready WHERE o.id = ready.id
       RETURNING o.*, ready.was_sending`,
      [options.now, options.limit, options.instanceId, new Date(options.now.getTime() + options.leaseMs), options.kinds ?? null],
    );
    for (const r of rows) {
      await tx.query('INSERT INTO outbox_attempts (outbox_id, instance_id, resend, started_at, claim_token) VALUES ($1, $2, $3, $4, $5)', [
        r.id,
        options.instanceId,
        r.was_sending,
        options.now,
        r.claim_token,
      ]);
    }
    return rows.map((r) => ({
      id: r.id,
      dedupeKey: r.dedupe_key,
      caseId: r.case_id,
      kind: r.kind,
      recipient: r.recipient,
      payload: r.payload,
      availableAt: r.available_at,
      status: r.status,
      attempts: r.attempts,
      reclaims: r.reclaims,
      resend: r.was_sending,
      claimToken: r.claim_token,
    }));
  });
}

export type DeliveryOutcome =
  | { readonly result: 'sent' }
  | { readonly result: 'cancelled'; readonly reason: string }
  /** `counted: false`: nothing went out (held back by the bot's own count of Teams' limits), so the claim's attempt is given back. */
  | { readonly result: 'retry'; readonly at: Date; readonly error: string; readonly counted?: boolean }
  | { readonly result: 'failed'; readonly error: string };

/**
 * Marks the message as going out now; only this one message is at risk if the process dies next.
 * The lease runs from now (`leaseUntil`), as a batch's later messages may have waited for their
 * turn at Teams' limits. Returns false when this instance no longer holds the message (its lease ran
 * out and another instance took it over, or it was released): then it must not be sent from here.
 */
export async function markSending(db: SqlExecutor, id: number, claimToken: string, now: Date, leaseUntil?: Date): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE outbox SET sending_since = $3, lease_until = coalesce($4::timestamptz, lease_until) WHERE id = $1 AND claim_token = $2 AND status = 'claimed' RETURNING id`,
    [id, claimToken, now, leaseUntil ?? null],
  );
  return rows.length === 1;
}

/** Records how a claimed message ended, if this claim still holds it. */
export async function finishMessage(db: Database, id: number, claimToken: string, outcome: DeliveryOutcome, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const status = outcome.result === 'retry' ? 'pending' : outcome.result;
    const error = 'error' in outcome ? outcome.error : outcome.result === 'cancelled' ? outcome.reason : null;
    // A coalesced message asked for again while it was being sent goes once more (see enqueueCoalesced).
    await tx.query(
      `UPDATE outbox SET status = CASE WHEN again AND $3 <> 'pending' THEN 'pending' ELSE $3 END, again = false,
         attempts = CASE WHEN again AND $3 <> 'pending' THEN 0 WHEN $7 THEN greatest(attempts - 1, 0) ELSE attempts END,
         last_error = $4, lease_until = NULL, sending_since = NULL,
         sent_at = CASE WHEN $3 = 'sent' THEN $5::timestamptz ELSE sent_at END,
         available_at = CASE WHEN $3 = 'pending' THEN $6::timestamptz WHEN again THEN $5::timestamptz ELSE available_at END
       WHERE id = $1 AND claim_token = $2 AND status = 'claimed'`,
      [
        id,
        claimToken,
        status,
        error,
        now,
        outcome.result === 'retry' ? outcome.at : now,
        outcome.result === 'retry' && outcome.counted === false,
      ],
    );
    await tx.query(
      `UPDATE outbox_attempts SET finished_at = $3, outcome = $4
       WHERE outbox_id = $1 AND claim_token = $2`,
      [id, claimToken, now, outcome.result],
    );
  });
}

/** On shutdown: give back what this instance claimed and has not started sending. */
export async function releaseClaims(db: SqlExecutor, instanceId: string): Promise<number> {
  const { rows } = await db.query(
    `UPDATE outbox SET status = 'pending', lease_until = NULL, sending_since = NULL WHERE status = 'claimed' AND claimed_by = $1 RETURNING id`,
    [instanceId],
  );
  return rows.length;
}

/** Cancels queued messages that are no longer wanted (an alert acknowledged, a clock stopped). */
export async function cancelQueued(tx: SqlExecutor, dedupeKeyPrefix: string, reason: string): Promise<number> {
  const { rows } = await tx.query(
    `UPDATE outbox SET status = 'cancelled', last_error = $2 WHERE dedupe_key LIKE $1 || '%' AND status IN ('pending', 'held') RETURNING id`,
    [dedupeKeyPrefix, reason],
  );
  return rows.length;
}

/** Moves queued messages of a prefix to a later time (an alert snoozed). */
export async function postponeQueued(tx: SqlExecutor, dedupeKeyPrefix: string, until: Date): Promise<void> {
  await tx.query(
    `UPDATE outbox SET available_at = greatest(available_at, $2) WHERE dedupe_key LIKE $1 || '%' AND status IN ('pending', 'held')`,
    [dedupeKeyPrefix, until],
  );
}
