import type { ClockState } from '../../domain/clocks/clockState.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

/**
 * Alerts raised about clocks: one per (case, clock, item, deadline, rung, recipient), so a later
 * watch, or another instance, cannot raise the same one twice.
 */

/** Returns whether this call raised it (false when that rung was already raised for that person). */
export async function insertAlertOnce(
  tx: SqlExecutor,
  a: { id: string; caseId: string; clockId: string; item: string; dueDate: string; level: string; recipient: string; raisedAt: Date },
): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO alerts (id, case_id, clock_id, item, due_date, level, recipient, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (case_id, clock_id, item, due_date, level, recipient) DO NOTHING RETURNING id`,
    [a.id, a.caseId, a.clockId, a.item, a.dueDate, a.level, a.recipient, a.raisedAt],
  );
  return rows.length > 0;
}

export interface AlertRow {
  id: string;
  case_id: string;
  clock_id: string;
  item: string;
  due_date: string;
  level: string;
  recipient: string;
  acknowledged_at: Date | null;
  snoozed_until: Date | null;
  reference: string;
  initials: string;
  state: ClockState | null;
  current_due: string | null;
}

/** The alert with its case's reference and initials, and its clock as it is now (state, due date). */
export async function findAlertRow(db: SqlExecutor, alertId: string): Promise<AlertRow | undefined> {
  const { rows } = await db.query<AlertRow>(
    `SELECT a.*, c.reference, c.summary->>'initials' AS initials, k.state, k.due_date AS current_due
     FROM alerts a JOIN cases c ON c.id = a.case_id
     LEFT JOIN clocks k ON k.case_id = a.case_id AND k.clock_id = a.clock_id AND k.item = a.item
     WHERE a.id = $1`,
    [alertId],
  );
  return rows[0];
}

/** The first acknowledgement's time is kept. */
export async function markAlertAcknowledged(tx: SqlExecutor, alertId: string, at: Date): Promise<void> {
  await tx.query('UPDATE alerts SET acknowledged_at = coalesce(acknowledged_at, $2) WHERE id = $1', [alertId, at]);
}

export async function setAlertSnoozedUntil(tx: SqlExecutor, alertId: string, until: Date): Promise<void> {
  await tx.query('UPDATE alerts SET snoozed_until = $2 WHERE id = $1', [alertId, until]);
}
