import type { ClockState } from '../../domain/clocks/clockState.ts';
import type { ClockView } from '../../domain/clocks/computeClocks.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

export interface StoredClock {
  readonly caseId: string;
  readonly clockId: string;
  readonly item: string;
  readonly state: ClockState;
  readonly owner: string;
  readonly statutory: boolean;
  readonly startedOn: string | null;
  readonly dueDate: string | null;
  readonly dueAt: Date | null;
  readonly dueSoonAt: Date | null;
  readonly completedAt: Date | null;
}

/** A clock to store: its view and its alert ladder. */
export type ClockToSave = ClockView & { alert: { levels: readonly string[]; times: readonly Date[] } };

/**
 * A case's clock row as JSON gives it (timestamps as text): read with the case (readVotingHistory),
 * so that saveClocks can leave alone the rows a change does not touch.
 */
export interface StoredClockRow {
  readonly clock_id: string;
  readonly item: string;
  readonly state: string;
  readonly owner: string;
  readonly statutory: boolean;
  readonly started_on: string | null;
  readonly due_date: string | null;
  readonly due_at: string | null;
  readonly due_soon_at: string | null;
  readonly completed_at: string | null;
  readonly alert_levels: readonly string[];
  readonly alert_times: readonly string[];
  readonly alert_stage: number;
  readonly next_alert_at: string | null;
}

/** The subquery (for the case whose id is the SQL expression `caseId`) that reads its clock rows as StoredClockRow JSON. */
export const storedClocksColumn = (caseId: string) =>
  `(SELECT coalesce(json_agg(k), '[]'::json) FROM clocks k WHERE k.case_id = ${caseId})`;

const RUNNING = ['pending', 'due_soon', 'overdue'];

type ClockRow = ReturnType<typeof rowOf>;

const rowOf = (c: ClockToSave) => ({
  clock_id: c.clockId,
  item: c.item ?? '',
  state: c.state,
  owner: c.owner,
  statutory: c.statutory,
  started_on: c.startedOn ?? null,
  due_date: c.dueDate ?? null,
  due_at: c.dueAt?.toISOString() ?? null,
  due_soon_at: c.dueSoonAt?.toISOString() ?? null,
  completed_at: c.completedAt?.toISOString() ?? null,
  alert_levels: c.alert.levels,
  alert_times: c.alert.times.map((t) => t.toISOString()),
});

const instant = (t: string | null | undefined) => (t == null ? null : Date.parse(t));
const sameList = <T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean) =>
  a.length === b.length && a.every((x, i) => same(x, b[i]!));

/**
 * Whether writing `row` over `stored` would change nothing: every column the same, and so the alert
 * stage kept (the due date did not move) and the next alert where that stage puts it.
 */
function unchanged(stored: StoredClockRow, row: ClockRow): boolean {
  const nextAlert = RUNNING.includes(row.state) ? (row.alert_times[stored.alert_stage] ?? null) : null;
  return (
    stored.state === row.state &&
    stored.owner === row.owner &&
    stored.statutory === row.statutory &&
    stored.started_on === row.started_on &&
    stored.due_date === row.due_date &&
    instant(stored.due_at) === instant(row.due_at) &&
    instant(stored.due_soon_at) === instant(row.due_soon_at) &&
    instant(stored.completed_at) === instant(row.completed_at) &&
    sameList(stored.alert_levels, row.alert_levels, (x, y) => x === y) &&
    sameList(stored.alert_times, row.alert_times, (x, y) => instant(x) === instant(y)) &&
    instant(stored.next_alert_at) === instant(nextAlert)
  );
}

/**
 * Stores freshly computed clocks with their alert ladders, all in one statement (a case has several
 * clocks, and a statement per clock was most of a vote's round trips). The rungs already handled stay
 * handled unless the due date moved (a new deadline gets a new ladder); a clock that stopped needs no
 * more attention (next_alert_at NULL). Given the rows as stored (`stored`), only the clocks that
 * changed are written, and nothing at all when none did (most votes change no clock).
 */
export async function saveClocks(
  tx: SqlExecutor,
  caseId: string,
  clocks: readonly ClockToSave[],
  stored?: readonly StoredClockRow[],
): Promise<void> {
  const rows = clocks.map(rowOf).filter((row) => {
    const was = stored?.find((s) => s.clock_id === row.clock_id && s.item === row.item);
    return !was || !unchanged(was, row);
  });
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO clocks (case_id, clock_id, item, state, owner, statutory, started_on, due_date, due_at, due_soon_at, completed_at, alert_levels, alert_times, alert_stage, next_alert_at)
     SELECT $1, n.clock_id, n.item, n.state, n.owner, n.statutory, n.started_on, n.due_date, n.due_at, n.due_soon_at, n.completed_at,
            n.alert_levels, n.alert_times, 0, CASE WHEN n.state IN ('pending', 'due_soon', 'overdue') THEN n.alert_times[1] END
       FROM jsonb_to_recordset($2::jsonb) AS n(clock_id text, item text, state text, owner text, statutory boolean, started_on date,
            due_date date, due_at timestamptz, due_soon_at timestamptz, completed_at timestamptz, alert_levels text[], alert_times timestamptz[])
     ON CONFLICT (case_id, clock_id, item) DO UPDATE SET state = EXCLUDED.state, owner = EXCLUDED.owner,
       statutory = EXCLUDED.statutory, started_on = EXCLUDED.started_on, due_date = EXCLUDED.due_date,
       due_at = EXCLUDED.due_at, due_soon_at = EXCLUDED.due_soon_at, completed_at = EXCLUDED.completed_at,
       alert_levels = EXCLUDED.alert_levels, alert_times = EXCLUDED.alert_times,
       alert_stage = CASE WHEN clocks.due_date IS DISTINCT FROM EXCLUDED.due_date THEN 0 ELSE clocks.alert_stage END,
       next_alert_at = CASE WHEN EXCLUDED.state IN ('pending', 'due_soon', 'overdue')
         THEN EXCLUDED.alert_times[(CASE WHEN clocks.due_date IS DISTINCT FROM EXCLUDED.due_date THEN 0 ELSE clocks.alert_stage END) + 1] END`,
    [caseId, JSON.stringify(rows)],
  );
}

export async function listClocks(db: SqlExecutor, caseId: string): Promise<StoredClock[]> {
  const { rows } = await db.query<{
    case_id: string;
    clock_id: string;
    item: string;
    state: ClockState;
    owner: string;
    statutory: boolean;
    started_on: string | null;
    due_date: string | null;
    due_at: Date | null;
    due_soon_at: Date | null;
    completed_at: Date | null;
  }>('SELECT * FROM clocks WHERE case_id = $1 ORDER BY due_at NULLS LAST, clock_id, item', [caseId]);
  return rows.map((r) => ({
    caseId: r.case_id,
    clockId: r.clock_id,
    item: r.item,
    state: r.state,
    owner: r.owner,
    statutory: r.statutory,
    startedOn: r.started_on,
    dueDate: r.due_date,
    dueAt: r.due_at,
    dueSoonAt: r.due_soon_at,
    completedAt: r.completed_at,
  }));
}

export interface DueClockRow {
  case_id: string;
  clock_id: string;
  item: string;
  due_date: string;
  alert_levels: string[];
  alert_times: Date[];
  alert_stage: number;
  reference: string;
  local_authority: string;
}

/**
 * Up to `limit` clocks whose next alert instant has come, the longest waiting first, locked for the
 * rest of the transaction; rows another instance holds are skipped, not waited for. Reads only the
 * clocks due now (a partial index on next_alert_at).
 */
export async function lockClocksDueForAlert(tx: SqlExecutor, now: Date, limit: number): Promise<DueClockRow[]> {
  const { rows } = await tx.query<DueClockRow>(
    `SELECT k.case_id, k.clock_id, k.item, k.due_date, k.alert_levels, k.alert_times, k.alert_stage, c.reference, c.local_authority
         FROM clocks k JOIN cases c ON c.id = k.case_id
         WHERE k.next_alert_at <= $1 ORDER BY k.next_alert_at LIMIT $2 FOR UPDATE OF k SKIP LOCKED`,
    [now, limit],
  );
  return rows;
}

/** The clock's alert ladder has reached `stage`: its next alert is the next rung's time (none past the last). */
export async function advanceClockAlertStage(
  tx: SqlExecutor,
  clock: { case_id: string; clock_id: string; item: string },
  stage: number,
): Promise<void> {
  await tx.query(
    `UPDATE clocks SET alert_stage = $4, next_alert_at = alert_times[$4 + 1] WHERE case_id = $1 AND clock_id = $2 AND item = $3`,
    [clock.case_id, clock.clock_id, clock.item, stage],
  );
}

/** A clock as an alert about it needs it when it goes out: its state and due date now, with its case's reference and initials. */
export async function findClockForAlert(
  db: SqlExecutor,
  key: { caseId: string; clockId: string; item: string },
): Promise<{ state: string; due_date: string; reference: string; initials: string } | undefined> {
  const { rows } = await db.query<{ state: string; due_date: string; reference: string; initials: string }>(
    `SELECT k.state, k.due_date, c.reference, c.summary->>'initials' AS initials FROM clocks k JOIN cases c ON c.id = k.case_id
       WHERE k.case_id = $1 AND k.clock_id = $2 AND k.item = $3`,
    [key.caseId, key.clockId, key.item],
  );
  return rows[0];
}
