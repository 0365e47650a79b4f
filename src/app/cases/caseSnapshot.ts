import { listCaseEvents, type RecordedCaseEvent } from '../../adapters/store/caseEventRepository.ts';
import { findCase } from '../../adapters/store/caseRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { listVotes } from '../../adapters/store/voteRepository.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { type ClockView, computeClocks } from '../../domain/clocks/computeClocks.ts';
import type { VoteRecord } from '../../domain/votes/voteRecord.ts';
import type { AppContext } from '../appContext.ts';
import { workCounters } from '../diagnostics/workCounters.ts';
import { NotFoundError } from '../errors.ts';

export interface CaseSnapshot {
  readonly record: CaseRecord;
  readonly votes: readonly VoteRecord[];
  readonly events: readonly RecordedCaseEvent[];
  /** Computed now, so a card shows "overdue" the moment it is, not when the stored row was last written. */
  readonly clocks: readonly ClockView[];
}

export async function loadCaseSnapshot(ctx: AppContext, caseId: string): Promise<CaseSnapshot> {
  return loadCaseSnapshotIn(ctx.db, ctx, caseId);
}

/** The same, read inside a transaction (`tx`), e.g. under the case's lock. */
export async function loadCaseSnapshotIn(db: SqlExecutor, ctx: AppContext, caseId: string): Promise<CaseSnapshot> {
  const record = await findCase(db, caseId);
  if (!record) throw new NotFoundError('That case was not found. It may have been removed.');
  const [votes, events] = await Promise.all([listVotes(db, record.id), listCaseEvents(db, record.id)]);
  workCounters.clockComputations += 1;
  return { record, votes, events, clocks: computeClocks(ctx.profile, events, ctx.now(), ctx.calendar) };
}
