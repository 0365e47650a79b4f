import type { CaseEvent, CaseEventType } from '../../domain/case/caseEvent.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

export interface RecordedCaseEvent extends CaseEvent {
  readonly id: number;
  readonly actor: string;
  readonly recordedAt: Date;
}

export async function appendCaseEvent(
  tx: SqlExecutor,
  caseId: string,
  event: CaseEvent & { actor: string; recordedAt: Date },
): Promise<void> {
  await tx.query('INSERT INTO case_events (case_id, type, at, data, actor, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    caseId,
    event.type,
    event.at,
    JSON.stringify(event.data ?? {}),
    event.actor,
    event.recordedAt,
  ]);
}

/** A `case_events` row as the store returns it. */
export interface CaseEventRow {
  readonly id: number;
  readonly type: CaseEventType;
  readonly at: Date;
  readonly data: Record<string, unknown>;
  readonly actor: string;
  readonly recorded_at: Date;
}

export const caseEventOfRow = (r: CaseEventRow): RecordedCaseEvent => ({
  id: r.id,
  type: r.type,
  at: r.at,
  data: r.data,
  actor: r.actor,
  recordedAt: r.recorded_at,
});

export async function listCaseEvents(db: SqlExecutor, caseId: string): Promise<RecordedCaseEvent[]> {
  const { rows } = await db.query<CaseEventRow>(
    'SELECT id, type, at, data, actor, recorded_at FROM case_events WHERE case_id = $1 ORDER BY at, id',
    [caseId],
  );
  return rows.map(caseEventOfRow);
}

/** When the DSPs' notification decision was (last) recorded as made, if it was. */
export async function notificationDecidedAt(db: SqlExecutor, caseId: string): Promise<Date | undefined> {
  const decided = await db.query<{ at: Date }>(
    `SELECT at FROM case_events WHERE case_id = $1 AND type = 'notification_decision' ORDER BY at DESC LIMIT 1`,
    [caseId],
  );
  return decided.rows[0]?.at;
}

/** The agency a per-item clock's item belongs to: the latest event that set the item up says. */
export async function agencyOfItem(db: SqlExecutor, caseId: string, item: string): Promise<string | undefined> {
  const { rows } = await db.query<{ agency: string | null }>(
    `SELECT data->>'agency' AS agency FROM case_events WHERE case_id = $1 AND type IN ('info_request_sent', 'action_set') AND data->>'itemId' = $2
     ORDER BY at DESC LIMIT 1`,
    [caseId, item],
  );
  return rows[0]?.agency ?? undefined;
}
