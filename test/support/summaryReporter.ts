import type { Reporter, TestModule } from 'vitest/node';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

function tally(into: Tally, state: string) {
  if (state === 'passed') into.passed += 1;
  else if (state === 'failed') into.failed += 1;
  else into.skipped += 1;
}

/**
 * Closes a run with two things the default reporter does not say: how many store tests ran on each
 * engine (store suites name themselves "store on <engine>"), so a skipped PostgreSQL suite shows; and
 * a plain "vitest: N passed, N failed, N skipped" line for CI to read.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const all: Tally = { passed: 0, failed: 0, skipped: 0 };
    const byEngine = new Map<string, Tally>();
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        tally(all, state);
        const engine = /store on (\w+)/.exec(test.fullName)?.[1];
        if (!engine) continue;
        const t = byEngine.get(engine) ?? { passed: 0, failed: 0, skipped: 0 };
        tally(t, state);
        byEngine.set(engine, t);
      }
    }
    if (byEngine.size > 0) {
      console.log('\nStore tests by engine:');
      for (const [engine, t] of byEngine) console.log(`  ${engine}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
    }
    console.log(`\nvitest: ${all.passed} passed, ${all.failed} failed, ${all.skipped} skipped`);
  }
}
