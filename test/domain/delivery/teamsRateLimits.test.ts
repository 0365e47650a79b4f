import { describe, expect, it } from 'vitest';

import {
  allOf,
  countedAt,
  createKey,
  decideSlot,
  GUARD_MS,
  IN_FLIGHT_LIMIT_MS,
  type LoggedRequest,
  longestSpanMs,
  personalChatKey,
  type RateWindow,
  type SlotDecision,
  spanMs,
  TENANT_LIMITS,
  THREAD_CREATE_LIMITS,
  THREAD_READ_LIMITS,
  THREAD_SEND_LIMITS,
  threadOf,
  windowUses,
} from '../../../src/domain/delivery/teamsRateLimits.ts';
import { seededRandom } from '../../support/fixtures.ts';

type Log = { at: number; ops: number; answeredAt: number | null }[];

/** A fake clock and a log: asks the rule, sends when it says go (answered at once), waits (moves the clock on) when it says wait. */
function sender(windows: readonly RateWindow[], guardMs = GUARD_MS) {
  const log: Log = [];
  let now = 0;
  return {
    log,
    get now() {
      return now;
    },
    set now(t: number) {
      now = t;
    },
    decide: (ops = 1): SlotDecision => decideSlot(windows, windowUses(log, windows, now, guardMs), now, { ops, guardMs }),
    /** Sends `ops` as soon as the rule allows, from now; returns when it went. */
    send(ops = 1): number {
      for (let asked = 0; ; asked += 1) {
        const d = this.decide(ops);
        if (d.go) {
          log.push({ at: now, ops, answeredAt: now });
          return now;
        }
        expect(d.waitMs).toBeGreaterThan(0);
        now += d.waitMs;
        if (asked > 10) throw new Error('the rule keeps saying wait');
      }
    },
  };
}

/** The most operations in any window of exactly `ms` (Teams' own window, without the guard). */
function peak(log: readonly { at: number; ops: number }[], ms: number): number {
  const at = log.flatMap((e) => Array<number>(e.ops).fill(e.at)).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < at.length; j += 1) {
    while (at[j]! - at[i]! >= ms) i += 1;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe("Teams' rate limits as data", () => {
  it('are the documented windows: per thread 7/1 s, 8/2 s, 60/30 s, 1,800/h for sends; 50/s per tenant', () => {
    expect(THREAD_SEND_LIMITS).toEqual([
      { limit: 7, seconds: 1 },
      { limit: 8, seconds: 2 },
      { limit: 60, seconds: 30 },
      { limit: 1800, seconds: 3600 },
    ]);
    expect(THREAD_CREATE_LIMITS).toEqual(THREAD_SEND_LIMITS); // a row of its own in Teams' table, the same numbers
    expect(THREAD_READ_LIMITS).toEqual([
      { limit: 14, seconds: 1 },
      { limit: 16, seconds: 2 },
      { limit: 120, seconds: 30 },
      { limit: 3600, seconds: 3600 },
    ]);
    expect(TENANT_LIMITS).toEqual([{ limit: 50, seconds: 1 }]);
    expect(spanMs({ limit: 7, seconds: 1 })).toBe(1000 + GUARD_MS);
    expect(longestSpanMs(THREAD_SEND_LIMITS)).toBe(3_600_000 + GUARD_MS);
    expect(longestSpanMs(TENANT_LIMITS, 0)).toBe(1000);
  });
});

describe('whether a send may go now', () => {
  const w1 = [{ limit: 7, seconds: 1 }];

  it('lets 7 go in a second and holds the 8th until the first leaves the window, to the millisecond (no guard)', () => {
    const s = sender(w1, 0);
    for (let i = 0; i < 7; i += 1) expect(s.send()).toBe(0);
    expect(s.decide()).toEqual({ go: false, waitMs: 1000, window: w1[0] });
    s.now = 999;
    expect(s.decide()).toMatchObject({ go: false, waitMs: 1 });
    s.now = 1000; // the first seven counted from 0: at 1000 exactly they have left a 1 s window
    expect(s.decide()).toEqual({ go: true });
  });

  it("counts a send for the window plus the guard (instances' clocks differ a little)", () => {
    const s = sender(w1);
    for (let i = 0; i < 7; i += 1) s.send();
    s.now = 1000;
    expect(s.decide()).toMatchObject({ go: false, waitMs: GUARD_MS });
    s.now = 1000 + GUARD_MS - 1;
    expect(s.decide()).toMatchObject({ go: false, waitMs: 1 });
    s.now = 1000 + GUARD_MS;
    expect(s.decide()).toEqual({ go: true });
  });

  it('holds the 9th send in 2 s even though the last second has room (8 per 2 s)', () => {
    const s = sender(THREAD_SEND_LIMITS, 0);
    for (let i = 0; i < 7; i += 1) s.send();
    s.now = 1000;
    expect(s.send()).toBe(1000); // the 8th: the 1 s window is empty, the 2 s window has 7 of 8
    const held = s.decide();
    expect(held).toMatchObject({ go: false, waitMs: 1000, window: { limit: 8, seconds: 2 } });
    expect(s.send()).toBe(2000);
  });

  it("never lets more through in any of Teams' windows than it allows, over a long burst to one thread", () => {
    const s = sender(THREAD_SEND_LIMITS);
    const sent = Array.from({ length: 1900 }, () => s.send());
    for (const w of THREAD_SEND_LIMITS) expect(peak(s.log, w.seconds * 1000), `${w.limit} per ${w.seconds} s`).toBeLessThanOrEqual(w.limit);
    // ...and not far fewer: 60 every 30.05 s (the guard), 1,800 in the first hour, the 1,801st after it.
    expect(peak(s.log, 30_000)).toBe(60);
    expect(peak(s.log, 3_600_000)).toBe(1800);
    expect(sent[59]).toBeLessThan(30_000);
    expect(sent[60]).toBe(30_000 + GUARD_MS);
    expect(sent[1799]).toBeLessThan(3_600_000);
    expect(sent[1800]).toBe(3_600_000 + GUARD_MS);
  });

  it('sustains 8 per 2.05 s when nothing else binds (the 2 s window with the guard)', () => {
    const s = sender(THREAD_SEND_LIMITS);
    const sent = Array.from({ length: 24 }, () => s.send());
    expect(sent.slice(0, 7)).toEqual(Array(7).fill(0));
    expect(sent[7]).toBe(1000 + GUARD_MS);
    expect(sent[8]).toBe(2000 + GUARD_MS);
    expect(sent[16]).toBe(2 * (2000 + GUARD_MS));
  });

  it('needs room for as many operations as a request is (a 1:1 card is two requests to the tenant)', () => {
    const s = sender(w1, 0);
    for (let i = 0; i < 6; i += 1) s.send();
    expect(s.decide(2)).toMatchObject({ go: false, waitMs: 1000 });
    expect(s.decide(1)).toEqual({ go: true });
    s.now = 1000;
    expect(s.send(2)).toBe(1000);
    expect(() => decideSlot(w1, [{ used: 0, oldestAt: null }], 0, { ops: 8 })).toThrow('can never fit');
    expect(() => decideSlot(w1, [], 0)).toThrow('one use per window');
  });

  it('holds the window for an operation another instance stamped a little ahead of this clock, but not a window ahead', () => {
    const uses = windowUses([{ at: 1_500, ops: 7, answeredAt: 1_500 }], w1, 1_000, 0);
    expect(uses).toEqual([{ used: 7, oldestAt: 1_500 }]);
    expect(decideSlot(w1, uses, 1_000, { guardMs: 0 })).toMatchObject({ go: false, waitMs: 1_500 });
    expect(windowUses([{ at: 2_001, ops: 7, answeredAt: 2_001 }], w1, 1_000, 0)).toEqual([{ used: 0, oldestAt: null }]);
    expect(windowUses([{ at: 2_000, ops: 7, answeredAt: 2_000 }], w1, 1_000, 0)).toEqual([{ used: 7, oldestAt: 2_000 }]);
  });

  it('goes only when the thread and the tenant both have room; the longest wait wins', () => {
    const now = 10_000;
    const thread = decideSlot(
      THREAD_SEND_LIMITS,
      windowUses([{ at: now - 500, ops: 7, answeredAt: now - 500 }], THREAD_SEND_LIMITS, now, 0),
      now,
      { guardMs: 0 },
    );
    const tenant = decideSlot(TENANT_LIMITS, windowUses([{ at: now - 200, ops: 50, answeredAt: now - 200 }], TENANT_LIMITS, now, 0), now, {
      guardMs: 0,
    });
    expect(thread).toMatchObject({ go: false, waitMs: 500 });
    expect(tenant).toMatchObject({ go: false, waitMs: 800, window: TENANT_LIMITS[0] });
    expect(allOf([thread, tenant])).toBe(tenant);
    expect(allOf([{ go: true }, thread])).toBe(thread);
    expect(allOf([{ go: true }, { go: true }])).toEqual({ go: true });
  });

  it('keeps 50 a second across the tenant however many threads send at once', () => {
    let now = 0;
    const tenantLog: Log = [];
    const threads = Array.from({ length: 20 }, () => [] as Log);
    for (let round = 0; tenantLog.length < 400; round += 1) {
      const thread = threads[round % threads.length]!;
      const decision = allOf([
        decideSlot(THREAD_SEND_LIMITS, windowUses(thread, THREAD_SEND_LIMITS, now), now),
        decideSlot(TENANT_LIMITS, windowUses(tenantLog, TENANT_LIMITS, now), now),
      ]);
      if (decision.go) {
        thread.push({ at: now, ops: 1, answeredAt: now });
        tenantLog.push({ at: now, ops: 1, answeredAt: now });
      } else {
        now += Math.min(decision.waitMs, 10); // other threads may have room sooner
      }
    }
    expect(peak(tenantLog, 1000)).toBe(50);
    for (const thread of threads) for (const w of THREAD_SEND_LIMITS) expect(peak(thread, w.seconds * 1000)).toBeLessThanOrEqual(w.limit);
  });
});

describe('a request in flight', () => {
  const w1 = [{ limit: 7, seconds: 1 }];
  const inFlight = (at: number, ops = 1): LoggedRequest => ({ at, ops, answeredAt: null });

  it('counts as arriving now until its answer comes, then from its answer', () => {
    expect(countedAt(inFlight(0), 5_000)).toBe(5_000);
    expect(countedAt({ at: 0, ops: 1, answeredAt: 300 }, 5_000)).toBe(300);
    const seven = Array.from({ length: 7 }, () => inFlight(0));
    expect(decideSlot(w1, windowUses(seven, w1, 5_000, 0), 5_000, { guardMs: 0 })).toMatchObject({ go: false, waitMs: 1_000 });
    const answered = seven.map((r) => ({ ...r, answeredAt: 300 }));
    expect(decideSlot(w1, windowUses(answered, w1, 1_299, 0), 1_299, { guardMs: 0 })).toMatchObject({ go: false, waitMs: 1 });
    expect(decideSlot(w1, windowUses(answered, w1, 1_300, 0), 1_300, { guardMs: 0 })).toEqual({ go: true });
  });

  it('whose answer never comes (its instance died) counts from a minute after it was sent', () => {
    expect(countedAt(inFlight(0), 70_000)).toBe(IN_FLIGHT_LIMIT_MS);
    const w30 = [{ limit: 1, seconds: 30 }];
    expect(windowUses([inFlight(0)], w30, 70_000, 0)).toEqual([{ used: 1, oldestAt: IN_FLIGHT_LIMIT_MS }]);
    expect(windowUses([inFlight(0)], w30, IN_FLIGHT_LIMIT_MS + 30_000, 0)).toEqual([{ used: 0, oldestAt: null }]);
  });

  /**
   * Four senders at once, each request reaching Teams at a random point of its flight (0-800 ms) and
   * answered at its end. Returns when the requests arrived. `fromSend`: the control, counting each
   * request from when it was sent, as if answered at once.
   */
  function arrivals(fromSend: boolean): { at: number; ops: number }[] {
    const random = seededRandom(14);
    const log: (LoggedRequest & { arrivesAt: number; answersAt: number })[] = [];
    const senders = Array.from({ length: 4 }, () => 0); // when each is next free
    while (log.length < 400) {
      const i = senders.indexOf(Math.min(...senders));
      const now = senders[i]!;
      for (const r of log) if (r.answeredAt === null && r.answersAt <= now) Object.assign(r, { answeredAt: r.answersAt });
      const decision = decideSlot(THREAD_SEND_LIMITS, windowUses(log, THREAD_SEND_LIMITS, now), now);
      if (!decision.go) {
        senders[i] = now + decision.waitMs;
        continue;
      }
      const flight = Math.round(800 * random());
      log.push({
        at: now,
        ops: 1,
        answeredAt: fromSend ? now : null,
        arrivesAt: now + Math.round(flight * random()),
        answersAt: now + flight,
      });
      senders[i] = now + flight;
    }
    return log.map((r) => ({ at: r.arrivesAt, ops: 1 }));
  }

  it('keeps every window by arrival at Teams, with answers slow and uneven and four senders at once', () => {
    const arrived = arrivals(false);
    for (const w of THREAD_SEND_LIMITS.slice(0, 3))
      expect(peak(arrived, w.seconds * 1000), `${w.limit} per ${w.seconds} s`).toBeLessThanOrEqual(w.limit);
    // The control: counted from when they were sent, the same flights arrive too close together.
    const control = arrivals(true);
    expect(THREAD_SEND_LIMITS.slice(0, 3).some((w) => peak(control, w.seconds * 1000) > w.limit)).toBe(true);
  });
});

describe('which thread a conversation is', () => {
  it('is the channel for a reply chain in it ("<channel>;messageid=<root>"), and itself otherwise', () => {
    expect(threadOf('19:abc@thread.tacv2;messageid=1767000000000')).toBe('19:abc@thread.tacv2');
    expect(threadOf('19:abc@thread.tacv2')).toBe('19:abc@thread.tacv2');
    expect(threadOf('a:1xyz')).toBe('a:1xyz');
  });

  it('is counted for a 1:1 chat by the person, and its creations apart from its sends', () => {
    expect(personalChatKey('29:someone')).toBe('dm:29:someone');
    expect(createKey(personalChatKey('29:someone'))).toBe('create:dm:29:someone');
  });
});
