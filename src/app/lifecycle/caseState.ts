import type { CaseEvent } from '../../domain/case/caseEvent.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { type ClockView, computeClocks } from '../../domain/clocks/computeClocks.ts';
import type { CaseState } from '../../domain/lifecycle/lifecycleStep.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import { workCounters } from '../diagnostics/workCounters.ts';

/**
 * A stored case as the lifecycle rules see it, now; or at `computed.now`, with the clocks already
 * computed for that instant (a case snapshot's: see app/cases/caseSnapshot.ts), not computed again.
 */
export function caseStateOf(
  ctx: AppContext,
  record: CaseRecord,
  events: readonly CaseEvent[],
  computed?: { readonly now: Date; readonly clocks: readonly ClockView[] },
): CaseState {
  const now = computed?.now ?? ctx.now();
  if (!computed) workCounters.clockComputations += 1;
  return {
    profile: ctx.profile,
    calendar: ctx.calendar,
    now,
    today: londonDateOf(now),
    stage: record.stage,
    events,
    clocks: computed?.clocks ?? computeClocks(ctx.profile, events, now, ctx.calendar),
    receivedOn: londonDateOf(record.receivedAt),
    localAuthority: record.localAuthority,
  };
}
