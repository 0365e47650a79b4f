import type { RecordedCaseEvent } from '../../adapters/store/caseEventRepository.ts';
import { readCaseHistory } from '../../adapters/store/caseHistoryRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { type ClockView, computeClocks } from '../../domain/clocks/computeClocks.ts';
import type { CaseState } from '../../domain/lifecycle/lifecycleStep.ts';
import type { VoteRecord } from '../../domain/votes/voteRecord.ts';
import type { AppContext } from '../appContext.ts';
import { workCounters } from '../diagnostics/workCounters.ts';
import { NotFoundError } from '../errors.ts';
import { caseStateOf } from '../lifecycle/caseState.ts';

/**
 * One view of a case: what every card and answer about it is drawn from. Its clocks are computed
 * once, when it is made, and everything drawn from it uses those (they were computed again for each
 * card, up to nine times a vote).
 */
export interface CaseSnapshot {
  readonly record: CaseRecord;
  readonly votes: readonly VoteRecord[];
  readonly events: readonly RecordedCaseEvent[];
  /** Computed at `at`, so a card shows "overdue" the moment it is, not when the stored row was last written. */
  readonly clocks: readonly ClockView[];
  /** The instant the snapshot describes. */
  readonly at: Date;
}

/** A snapshot of what is already in hand (a use case's, in its transaction): its clocks are computed here, once. */
export function caseSnapshotOf(
  ctx: AppContext,
  parts: { record: CaseRecord; votes: readonly VoteRecord[]; events: readonly RecordedCaseEvent[] },
  at: Date = ctx.now(),
): CaseSnapshot {
  workCounters.clockComputations += 1;
  return { ...parts, at, clocks: computeClocks(ctx.profile, parts.events, at, ctx.calendar) };
}

export async function loadCaseSnapshot(ctx: AppContext, caseId: string): Promise<CaseSnapshot> {
  return loadCaseSnapshotIn(ctx.db, ctx, caseId);
}

/** The same, read inside a transaction (`tx`), e.g. under the case's lock. One statement. */
export async function loadCaseSnapshotIn(db: SqlExecutor, ctx: AppContext, caseId: string): Promise<CaseSnapshot> {
  const history = await readCaseHistory(db, caseId);
  if (!history) throw new NotFoundError('That case was not found. It may have been removed.');
  return caseSnapshotOf(ctx, history);
}

/** The case as the lifecycle rules see it, at the snapshot's instant and with its clocks (not computed again). */
export function snapshotState(ctx: AppContext, snapshot: CaseSnapshot): CaseState {
  return caseStateOf(ctx, snapshot.record, snapshot.events, { now: snapshot.at, clocks: snapshot.clocks });
}
