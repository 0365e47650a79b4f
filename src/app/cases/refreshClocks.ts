import { listCaseEvents } from '../../adapters/store/caseEventRepository.ts';
import { saveClocks, type StoredClockRow } from '../../adapters/store/clockRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { alertLadder } from '../../domain/alerts/alertLadder.ts';
import { type ClockView, computeClocks } from '../../domain/clocks/computeClocks.ts';
import type { AppContext } from '../appContext.ts';
import { workCounters } from '../diagnostics/workCounters.ts';

/** Recomputes a case's clocks from its events (inside the caller's transaction) and stores them. */
export async function refreshClocks(tx: SqlExecutor, ctx: AppContext, caseId: string): Promise<ClockView[]> {
  const events = await listCaseEvents(tx, caseId);
  workCounters.clockComputations += 1;
  const clocks = computeClocks(ctx.profile, events, ctx.now(), ctx.calendar);
  await storeClocks(tx, ctx, caseId, clocks);
  return clocks;
}

/**
 * Stores clocks already computed (a case snapshot's), each with its alert ladder, inside the caller's
 * transaction. Given the clocks as stored (`stored`, read under the same lock), only those that
 * changed are written.
 */
export async function storeClocks(
  tx: SqlExecutor,
  ctx: AppContext,
  caseId: string,
  clocks: readonly ClockView[],
  stored?: readonly StoredClockRow[],
): Promise<void> {
  const definitions = new Map(ctx.profile.clocks.map((c) => [c.id, c]));
  await saveClocks(
    tx,
    caseId,
    clocks.map((view) => {
      const ladder = alertLadder(definitions.get(view.clockId)!, view);
      return { ...view, alert: { levels: ladder.map((r) => r.level), times: ladder.map((r) => r.at) } };
    }),
    stored,
  );
}
