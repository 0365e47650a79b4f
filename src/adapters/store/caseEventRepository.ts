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
  await tx.query(
    'INSERT INTO case_events (case_id, type, at, data, actor, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [caseId, event.type, event.at, JSON.stringify(event.data ?? {}), event.actor, event.recordedAt],
  );
}

export async function listCaseEvents(db: SqlExecutor, caseId: string): Promise<RecordedCaseEvent[]> {
  const { rows } = await db.query<{ id: number; type: CaseEventType; at: Date; data: Record<string, unknown>; actor: string; recorded_at: Date }>(
    'SELECT id, type, at, data, actor, recorded_at FROM case_events WHERE case_id = $1 ORDER BY at, id',
    [caseId],
  );
  return rows.map((r) => ({ id: r.id, type: r.type, at: r.at, data: r.data, actor: r.actor, recordedAt: r.recorded_at }));
}
