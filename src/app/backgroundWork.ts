/**
 * Work started after answering a request (posting to a channel after answering an invoke). Kept track
 * of so that shutdown can finish it and tests can wait for it instead of sleeping.
 */
export function createBackgroundWork(onError: (error: unknown) => void) {
  const inFlight = new Set<Promise<void>>();
  return {
    run(work: () => Promise<void>): void {
      const task = work()
        .catch(onError)
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
    /** Resolves when everything started so far (and anything it starts) has finished. */
    async drain(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    get size() {
      return inFlight.size;
    },
  };
}

export type BackgroundWork = ReturnType<typeof createBackgroundWork>;
