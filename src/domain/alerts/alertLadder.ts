import type { ClockView } from '../clocks/computeClocks.ts';
import type { ClockDefinition } from '../profiles/profileSchema.ts';

/** One rung of a clock's alert ladder: when it is reached and whom it tells. */
export interface AlertRung {
  /** 'due_soon', 'overdue', or 'escalation_<n>'. */
  readonly level: string;
  readonly at: Date;
  readonly roles: readonly string[];
}

/**
 * A running clock's alerts, in time order: due soon and overdue go to its owner; each escalation
 * step to the roles the profile names (e.g. the business manager and the partnership chair when the
 * DSP decision is overdue). Stopped or unstarted clocks have no ladder.
 */
export function alertLadder(clock: ClockDefinition, view: ClockView): AlertRung[] {
  if (!view.dueAt || !view.dueSoonAt || !['pending', 'due_soon', 'overdue'].includes(view.state)) return [];
  const rungs: AlertRung[] = [
    { level: 'due_soon', at: view.dueSoonAt, roles: [clock.owner] },
    { level: 'overdue', at: view.dueAt, roles: [clock.owner] },
    // An escalation already raised against an earlier deadline is not raised again (its level keeps its index).
    ...view.escalations.flatMap((e, i) => (e.beforeRevision ? [] : [{ level: `escalation_${i}`, at: e.at, roles: e.notify }])),
  ];
  return rungs.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The rungs to announce now, from `stage` (rungs already handled): every escalation reached, but of
 * "due soon" and "overdue" only the latest, so a clock found already overdue does not also say
 * "due soon". Returns the rungs and the new stage.
 */
export function rungsToAnnounce(ladder: readonly AlertRung[], stage: number, now: Date): { rungs: AlertRung[]; stage: number } {
  const reached = ladder.slice(stage).filter((r) => r.at <= now);
  if (reached.length === 0) return { rungs: [], stage };
  const ownerRungs = reached.filter((r) => r.level === 'due_soon' || r.level === 'overdue');
  const rungs = [...ownerRungs.slice(-1), ...reached.filter((r) => r.level.startsWith('escalation_'))];
  return { rungs, stage: stage + reached.length };
}
