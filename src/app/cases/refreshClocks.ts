import { listCaseEvents } from '../../adapters/store/caseEventRepository.ts';
import { saveClocks } from '../../adapters/store/clockRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { computeClocks, type ClockView } from '../../domain/clocks/computeClocks.ts';
import type { AppContext } from '../appContext.ts';

/** Recomputes a case's clocks from its events (inside the caller's transaction) and stores them. */
export async function refreshClocks(tx: SqlExecutor, ctx: AppContext, caseId: string): Promise<ClockView[]> {
  const events = await listCaseEvents(tx, caseId);
  const clocks = computeClocks(ctx.profile, events, ctx.now(), ctx.calendar);
  await saveClocks(tx, caseId, clocks);
  return clocks;
}
