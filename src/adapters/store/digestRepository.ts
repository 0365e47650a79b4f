import type { SqlExecutor } from './sqlExecutor.ts';

export interface DigestClockRow {
  reference: string;
  initials: string;
  clock_id: string;
  due_date: string;
  due_at: Date;
}

export interface DigestFacts {
  readonly openCases: number;
  /** Running clocks of open cases due by the end of `horizon`, the one due first first. */
  readonly clocks: DigestClockRow[];
  /** Messages that could not be delivered, raised in the 7 days before `now`. */
  readonly failedMessages: number;
  /** Email copies due by `now` and held until the mail service is connected. */
  readonly heldEmails: number;
}

/** The daily digest's reads: counts, and case references and initials only. */
export async function digestFacts(db: SqlExecutor, horizon: string, now: Date): Promise<DigestFacts> {
  const open = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE closed_at IS NULL')).rows[0]!.n;
  const clocks = await db.query<DigestClockRow>(
    `SELECT c.reference, c.summary->>'initials' AS initials, k.clock_id, k.due_date, k.due_at
     FROM clocks k JOIN cases c ON c.id = k.case_id
     WHERE k.state IN ('pending', 'due_soon', 'overdue') AND k.due_date <= $1 AND c.closed_at IS NULL
     ORDER BY k.due_at, c.reference`,
    [horizon],
  );
  const failed = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE status = 'failed' AND created_at >= $1::timestamptz - interval '7 days'`,
      [now],
    )
  ).rows[0]!.n;
  const held = (
    await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'held' AND kind = 'email' AND available_at <= $1`, [
      now,
    ])
  ).rows[0]!.n;
  return { openCases: open, clocks: clocks.rows, failedMessages: failed, heldEmails: held };
}
