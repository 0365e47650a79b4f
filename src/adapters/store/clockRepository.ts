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

/**
 * Stores freshly computed clocks with their alert ladders. The rungs already handled stay handled
 * unless the due date moved (a new deadline gets a new ladder); a clock that stopped needs no more
 * attention (next_alert_at NULL).
 */
export async function saveClocks(
  tx: SqlExecutor,
  caseId: string,
  clocks: readonly (ClockView & { alert: { levels: readonly string[]; times: readonly Date[] } })[],
): Promise<void> {
  for (const c of clocks) {
    await tx.query(
      `INSERT INTO clocks (case_id, clock_id, item, state, owner, statutory, started_on, due_date, due_at, due_soon_at, completed_at, alert_levels, alert_times, alert_stage, next_alert_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13::text[], $12::timestamptz[], 0,
               CASE WHEN $4 IN ('pending', 'due_soon', 'overdue') THEN ($12::timestamptz[])[1] END)
       ON CONFLICT (case_id, clock_id, item) DO UPDATE SET state = EXCLUDED.state, owner = EXCLUDED.owner,
         statutory = EXCLUDED.statutory, started_on = EXCLUDED.started_on, due_date = EXCLUDED.due_date,
         due_at = EXCLUDED.due_at, due_soon_at = EXCLUDED.due_soon_at, completed_at = EXCLUDED.completed_at,
         alert_levels = EXCLUDED.alert_levels, alert_times = EXCLUDED.alert_times,
         alert_stage = CASE WHEN clocks.due_date IS DISTINCT FROM EXCLUDED.due_date THEN 0 ELSE clocks.alert_stage END,
         next_alert_at = CASE WHEN EXCLUDED.state IN ('pending', 'due_soon', 'overdue')
           THEN EXCLUDED.alert_times[(CASE WHEN clocks.due_date IS DISTINCT FROM EXCLUDED.due_date THEN 0 ELSE clocks.alert_stage END) + 1] END`,
      [
        caseId,
        c.clockId,
        c.item ?? '',
        c.state,
        c.owner,
        c.statutory,
        c.startedOn ?? null,
        c.dueDate ?? null,
        c.dueAt ?? null,
        c.dueSoonAt ?? null,
        c.completedAt ?? null,
        c.alert.times.map((t) => t.toISOString()),
        [...c.alert.levels],
      ],
    );
  }
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
