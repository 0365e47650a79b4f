import {
  allOf,
  decideSlot,
  IN_FLIGHT_LIMIT_MS,
  longestSpanMs,
  type RateWindow,
  type SlotDecision,
  spanMs,
  type WindowUse,
} from '../../domain/delivery/teamsRateLimits.ts';
import type { Database, SqlExecutor } from './sqlExecutor.ts';

/** A key a request counts against (its thread, its tenant), that key's windows, and how many operations it is there. */
export interface SlotKey {
  readonly key: string;
  readonly windows: readonly RateWindow[];
  /** Unset: the request's `ops`. */
  readonly ops?: number;
}

/** A slot taken (its log rows, to mark when the answer comes), or how long to wait before asking again. */
export type SlotTaken = { readonly go: true; readonly rows: readonly number[] } | Extract<SlotDecision, { go: false }>;

/**
 * Takes room for `ops` operations in every window of every key, or none, shared by every instance:
 * the keys are locked in key order (advisory locks, per schema), each window is counted from the
 * send log as domain/delivery/teamsRateLimits.ts counts it (from each request's answer, or as
 * arriving now while it is in flight), and the request is logged only if all have room, in one
 * transaction. Two instances asking for the last slot queue on the lock; the second counts the
 * first's row. `inFlight: false` logs the request as answered when sent (for a call made where its
 * answer cannot be recorded).
 */
export async function takeSendSlot(
  db: Database,
  keys: readonly SlotKey[],
  ops: number,
  wallNow: Date,
  { inFlight = true } = {},
): Promise<SlotTaken> {
  const sorted = [...new Map(keys.map((k) => [k.key, k])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const flat = sorted.flatMap((k) => k.windows.map((w) => ({ key: k.key, spanMs: spanMs(w) })));
  return db.transaction(async (tx) => {
    for (const k of sorted)
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':send_log:' || $1, 0))`, [k.key]);
    const { rows } = await tx.query<{ i: number; used: number; oldest: Date | null }>(
      `SELECT w.i, coalesce(sum(s.ops), 0)::int AS used, min(s.t) AS oldest
       FROM unnest($1::text[], $2::int[], $3::int[]) AS w(key, span_ms, i)
       LEFT JOIN LATERAL (
         SELECT l.ops, coalesce(l.answered_at, least($4::timestamptz, l.at + $5 * interval '1 millisecond')) AS t
         FROM send_log l WHERE l.key = w.key AND l.at > $4::timestamptz - (w.span_ms + $5) * interval '1 millisecond'
       ) s ON s.t > $4::timestamptz - w.span_ms * interval '1 millisecond' AND s.t <= $4::timestamptz + w.span_ms * interval '1 millisecond'
       GROUP BY w.i`,
      [flat.map((f) => f.key), flat.map((f) => f.spanMs), flat.map((_, i) => i), wallNow, IN_FLIGHT_LIMIT_MS],
    );
    const uses = new Map(
      rows.map((r): [number, WindowUse] => [r.i, { used: r.used, oldestAt: r.oldest ? new Date(r.oldest).getTime() : null }]),
    );
    let offset = 0;
    const decision = allOf(
      sorted.map((k) => {
        const mine = k.windows.map((_, w) => uses.get(offset + w) ?? { used: 0, oldestAt: null });
        offset += k.windows.length;
        return decideSlot(k.windows, mine, wallNow.getTime(), { ops: k.ops ?? ops });
      }),
    );
    if (!decision.go) return decision;
    const { rows: logged } = await tx.query<{ id: number }>(
      `INSERT INTO send_log (key, at, ops, answered_at, keep_until)
       SELECT k, $3::timestamptz, n, CASE WHEN $4 THEN NULL ELSE $3::timestamptz END, $3::timestamptz + ms * interval '1 millisecond'
       FROM unnest($1::text[], $2::int[], $5::int[]) AS t(k, ms, n) RETURNING id`,
      [
        sorted.map((k) => k.key),
        sorted.map((k) => longestSpanMs(k.windows) + (inFlight ? IN_FLIGHT_LIMIT_MS : 0)),
        wallNow,
        inFlight,
        sorted.map((k) => k.ops ?? ops),
      ],
    );
    return { go: true, rows: logged.map((r) => r.id) };
  });
}

/** The answer to a logged request came back (or it failed) at `wallNow`: it counts from then. */
export async function markAnswered(db: SqlExecutor, rows: readonly number[], wallNow: Date): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `UPDATE send_log SET answered_at = greatest(at, $2::timestamptz),
       keep_until = greatest(at, $2::timestamptz) + (keep_until - at) - $3 * interval '1 millisecond'
     WHERE id = ANY($1::bigint[]) AND answered_at IS NULL`,
    [rows, wallNow, IN_FLIGHT_LIMIT_MS],
  );
}

/** Forgets requests that have left every window of their key. Returns how many. */
export async function forgetOldSends(db: SqlExecutor, wallNow: Date): Promise<number> {
  const { rows } = await db.query(`DELETE FROM send_log WHERE keep_until <= $1 RETURNING 1`, [wallNow]);
  return rows.length;
}

/** Remembers whom a 1:1 chat is with (a chat's id and its person never change). */
export async function rememberPersonalChat(db: SqlExecutor, conversationId: string, teamsUserId: string): Promise<void> {
  await db.query(`INSERT INTO personal_chats (conversation_id, teams_user_id) VALUES ($1, $2) ON CONFLICT (conversation_id) DO NOTHING`, [
    conversationId,
    teamsUserId,
  ]);
}

/** The Teams id of the person a 1:1 chat is with, if the bot has sent there. */
export async function personalChatWith(db: SqlExecutor, conversationId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ teams_user_id: string }>('SELECT teams_user_id FROM personal_chats WHERE conversation_id = $1', [
    conversationId,
  ]);
  return rows[0]?.teams_user_id;
}
