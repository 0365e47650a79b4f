/**
 * How often the repeated work of a request was done: clock computations and card renders. Read by
 * the benchmarks (test/bench/voteInvoke.bench.ts) to show what one vote costs; nothing decides on
 * them, so a process-wide tally is enough (the SQL statements are counted by the benchmark's own
 * wrapper around the store).
 */
export const workCounters = { clockComputations: 0, cardRenders: 0 };

export function resetWorkCounters(): void {
  workCounters.clockComputations = 0;
  workCounters.cardRenders = 0;
}
