/**
 * A clock's red/amber/green at an instant, for the dashboard: red once overdue, amber from its "due
 * soon" moment, green while it runs with time to spare; none when it is not running. Worked from the
 * instants rather than the stored state, which is only rewritten when the case changes.
 */
export type Rag = 'red' | 'amber' | 'green';

export function ragOf(
  clock: { completedAt: Date | null; dueAt: Date | null; dueSoonAt: Date | null; state: string },
  now: Date,
): Rag | undefined {
  if (clock.completedAt || !clock.dueAt || !['pending', 'due_soon', 'overdue'].includes(clock.state)) return undefined;
  if (now >= clock.dueAt) return 'red';
  if (clock.dueSoonAt && now >= clock.dueSoonAt) return 'amber';
  return 'green';
}
