import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { isUuid } from '../../domain/validation/uuid.ts';
import type { VoteRecord } from '../../domain/votes/voteRecord.ts';
import { caseEventOfRow, type CaseEventRow, type RecordedCaseEvent } from './caseEventRepository.ts';
import { type CaseRow, toRecord } from './caseRepository.ts';
import { type StoredClockRow, storedClocksColumn } from './clockRepository.ts';
import type { PersonRow } from './peopleRepository.ts';
import { type RoleAssignmentRow, type RoleHolder, roleHoldersColumn, roleHoldersOfJson } from './roleAssignmentRepository.ts';
import type { SqlExecutor } from './sqlExecutor.ts';
import { voteOfRow, type VoteRow } from './voteRepository.ts';

/**
 * A case's votes and events read in one statement, not one each: a card is drawn from all of them,
 * and every statement is a round trip (on PGlite, a turn of the one engine every request shares).
 * One statement is also one snapshot of the database, so the votes and events always agree.
 */
export interface CaseHistory {
  readonly votes: VoteRecord[];
  readonly events: RecordedCaseEvent[];
}

/** The subqueries, for the case whose id is `caseId` (an SQL expression): JSON arrays in the stores' usual order. */
const historyColumns = (caseId: string) => `
  (SELECT coalesce(json_agg(v ORDER BY v.cast_at, v.agency), '[]'::json) FROM votes v WHERE v.case_id = ${caseId}) AS votes,
  (SELECT coalesce(json_agg(json_build_object('id', e.id, 'type', e.type, 'at', e.at, 'data', e.data, 'actor', e.actor,
     'recorded_at', e.recorded_at) ORDER BY e.at, e.id), '[]'::json) FROM case_events e WHERE e.case_id = ${caseId}) AS events`;

/** JSON carries a timestamp as text: back to the Date the column's own reader gives. */
type AsJson<Row, DateKeys extends keyof Row> = Omit<Row, DateKeys> & { [K in DateKeys]: string };
const vote = (r: AsJson<VoteRow, 'cast_at'>) => voteOfRow({ ...r, cast_at: new Date(r.cast_at) });
const event = (r: AsJson<CaseEventRow, 'at' | 'recorded_at'>) =>
  caseEventOfRow({ ...r, at: new Date(r.at), recorded_at: new Date(r.recorded_at) });

interface HistoryColumns {
  votes: AsJson<VoteRow, 'cast_at'>[];
  events: AsJson<CaseEventRow, 'at' | 'recorded_at'>[];
}

const historyOf = (r: HistoryColumns): CaseHistory => ({ votes: r.votes.map(vote), events: r.events.map(event) });

/** The case (by id or reference) with its votes and events. */
export async function readCaseHistory(db: SqlExecutor, idOrReference: string): Promise<(CaseHistory & { record: CaseRecord }) | undefined> {
  const column = isUuid(idOrReference) ? 'id' : 'reference';
  const { rows } = await db.query<CaseRow & HistoryColumns>(`SELECT c.*, ${historyColumns('c.id')} FROM cases c WHERE c.${column} = $1`, [
    idOrReference,
  ]);
  const row = rows[0];
  return row && { record: toRecord(row), ...historyOf(row) };
}

/**
 * What a vote is decided on, in one statement: the case's votes, events and stored clocks (so that
 * only the clocks a vote changes are written), and the DSPs, each with the person the bot knows them
 * as (who may vote, and whom the answer's card refreshes for). Read after the case's lock is taken
 * (lockCase), in a statement of its own: a statement that waited for the lock still reads the other
 * tables as they were when it started, so this one must start after.
 */
export async function readVotingHistory(
  tx: SqlExecutor,
  caseId: string,
): Promise<CaseHistory & { dsps: RoleHolder[]; storedClocks: StoredClockRow[] }> {
  const { rows } = await tx.query<
    HistoryColumns & { dsps: { holder: RoleAssignmentRow; person: PersonRow | null }[]; clocks: StoredClockRow[] }
  >(`SELECT ${historyColumns('$1::uuid')}, ${storedClocksColumn('$1::uuid')} AS clocks, ${roleHoldersColumn("'dsp'")} AS dsps`, [caseId]);
  const row = rows[0]!;
  return { ...historyOf(row), dsps: roleHoldersOfJson(row.dsps), storedClocks: row.clocks };
}
