import { listCaseEvents } from '../../adapters/store/caseEventRepository.ts';
import { findCase, type CaseRecord } from '../../adapters/store/caseRepository.ts';
import { listVotes, type VoteRecord } from '../../adapters/store/voteRepository.ts';
import { computeClocks, type ClockView } from '../../domain/clocks/computeClocks.ts';
import type { CaseEvent } from '../../domain/case/caseEvent.ts';
import type { AppContext } from '../appContext.ts';
import { NotFoundError } from '../errors.ts';

export interface CaseSnapshot {
  readonly record: CaseRecord;
  readonly votes: readonly VoteRecord[];
  readonly events: readonly CaseEvent[];
  /** Computed now, so a card shows "overdue" the moment it is, not when the stored row was last written. */
  readonly clocks: readonly ClockView[];
}

export async function loadCaseSnapshot(ctx: AppContext, caseId: string): Promise<CaseSnapshot> {
  const record = await findCase(ctx.db, caseId);
  if (!record) throw new NotFoundError('That case was not found. It may have been removed.');
  const [votes, events] = await Promise.all([listVotes(ctx.db, record.id), listCaseEvents(ctx.db, record.id)]);
  return { record, votes, events, clocks: computeClocks(ctx.profile, events, ctx.now(), ctx.calendar) };
}
