import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openPostgresDatabase } from '../../src/adapters/store/postgresDatabase.ts';
import {
  forgetOldSends,
  markAnswered,
  personalChatWith,
  rememberPersonalChat,
  type SlotKey,
  takeSendSlot,
} from '../../src/adapters/store/sendLogRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { GUARD_MS, IN_FLIGHT_LIMIT_MS, TENANT_LIMITS, THREAD_SEND_LIMITS } from '../../src/domain/delivery/teamsRateLimits.ts';
import { openPostgresSchema, testEngines } from '../support/testDatabases.ts';

const thread = (key: string): SlotKey => ({ key, windows: THREAD_SEND_LIMITS });
const tenant: SlotKey = { key: 'tenant:t1', windows: TENANT_LIMITS };
const T0 = new Date('2026-11-19T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** A slot for a request answered at once (counted from when it was sent). */
const take = (db: Database, keys: readonly SlotKey[], ops: number, when: Date) => takeSendSlot(db, keys, ops, when, { inFlight: false });
const GO = { go: true };

async function logged(db: Database, key: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT coalesce(sum(ops), 0)::int AS n FROM send_log WHERE key = $1', [key]);
  return rows[0]!.n;
}

for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`Teams send windows in the store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => {
      await db.close();
    });

    it('gives 7 slots in a second to a thread, then says how long to wait; the 8 per 2 s window holds the 9th', async () => {
      const keys = [thread('19:c@thread.tacv2'), tenant];
      for (let i = 0; i < 7; i += 1) expect(await take(db, keys, 1, at(i))).toMatchObject(GO);
      expect(await take(db, keys, 1, at(10))).toMatchObject({ go: false, waitMs: 1000 + GUARD_MS - 10, window: { limit: 7, seconds: 1 } });
      expect(await take(db, keys, 1, at(1000 + GUARD_MS + 6))).toMatchObject(GO);
      expect(await take(db, keys, 1, at(1200))).toMatchObject({
        go: false,
        waitMs: 2000 + GUARD_MS - 1200,
        window: { limit: 8, seconds: 2 },
      });
      expect(await logged(db, '19:c@thread.tacv2')).toBe(8);
      expect(await logged(db, 'tenant:t1')).toBe(8);
    });

    it("takes all of a request's keys or none: a full tenant logs nothing against the thread", async () => {
      for (let i = 0; i < 50; i += 1) expect((await take(db, [thread(`dm:${i}`), tenant], 1, at(i))).go).toBe(true);
      const refused = await take(db, [thread('dm:another'), tenant], 1, at(60));
      expect(refused).toMatchObject({ go: false, waitMs: 1000 + GUARD_MS - 60, window: { limit: 50, seconds: 1 } });
      expect(await logged(db, 'dm:another')).toBe(0);
      // A request of two operations needs room for both; with one slot left in the second, it waits.
      for (let i = 0; i < 6; i += 1) await take(db, [thread('dm:x')], 1, at(5000 + i));
      expect(await take(db, [thread('dm:x')], 2, at(5010))).toMatchObject({ go: false });
      expect(await take(db, [thread('dm:x')], 1, at(5010))).toMatchObject(GO);
      // Each key counts its own share: a 1:1 card is one creation, one send, two requests to the tenant.
      const card = [
        { key: 'create:dm:y', windows: THREAD_SEND_LIMITS },
        thread('dm:y'),
        { key: 'tenant:t3', windows: TENANT_LIMITS, ops: 2 },
      ];
      expect(await take(db, card, 1, at(9000))).toMatchObject(GO);
      expect([await logged(db, 'create:dm:y'), await logged(db, 'dm:y'), await logged(db, 'tenant:t3')]).toEqual([1, 1, 2]);
    });

    it('counts a request in flight as arriving now, then from when its answer came', async () => {
      const keys = [thread('dm:slow')];
      const taken = await Promise.all(Array.from({ length: 7 }, () => takeSendSlot(db, keys, 1, T0)));
      const rows = taken.flatMap((t) => (t.go ? t.rows : []));
      expect(rows).toHaveLength(7);
      // Still no answer 5 s later: the window is held from now.
      expect(await takeSendSlot(db, keys, 1, at(5_000))).toMatchObject({ go: false, waitMs: 1000 + GUARD_MS });
      await markAnswered(db, rows, at(300));
      expect(await takeSendSlot(db, keys, 1, at(1_300 + GUARD_MS - 1))).toMatchObject({ go: false, waitMs: 1 });
      expect(await takeSendSlot(db, keys, 1, at(1_300 + GUARD_MS))).toMatchObject(GO);
      // An answer that never comes: counted from a minute after the send, so it cannot hold the window for ever.
      await takeSendSlot(db, [thread('dm:lost')], 7, T0);
      expect(await takeSendSlot(db, [thread('dm:lost')], 1, at(IN_FLIGHT_LIMIT_MS + 1000 + GUARD_MS - 1))).toMatchObject({
        go: false,
        waitMs: 1,
      });
      expect(await takeSendSlot(db, [thread('dm:lost')], 1, at(IN_FLIGHT_LIMIT_MS + 1000 + GUARD_MS))).toMatchObject(GO);
    });

    it("prunes a request once it has left its key's longest window (a second for the tenant, an hour for a thread)", async () => {
      await take(db, [thread('19:c@thread.tacv2'), tenant], 1, T0);
      expect(await forgetOldSends(db, at(1000 + GUARD_MS - 1))).toBe(0);
      expect(await forgetOldSends(db, at(1000 + GUARD_MS))).toBe(1);
      expect(await logged(db, 'tenant:t1')).toBe(0);
      expect(await forgetOldSends(db, at(3_600_000 + GUARD_MS - 1))).toBe(0);
      expect(await logged(db, '19:c@thread.tacv2')).toBe(1);
      expect(await forgetOldSends(db, at(3_600_000 + GUARD_MS))).toBe(1);
      // In flight, kept a minute longer; answered, kept from the answer.
      const slow = await takeSendSlot(db, [tenant], 1, T0);
      const lost = await takeSendSlot(db, [{ key: 'tenant:t2', windows: TENANT_LIMITS }], 1, T0);
      await markAnswered(db, slow.go ? slow.rows : [], at(500));
      expect(await forgetOldSends(db, at(500 + 1000 + GUARD_MS))).toBe(1);
      expect(lost.go).toBe(true);
      expect(await forgetOldSends(db, at(IN_FLIGHT_LIMIT_MS + 1000 + GUARD_MS))).toBe(1);
    });

    it('counts a request another instance stamped ahead of this clock, up to one window ahead', async () => {
      for (let i = 0; i < 7; i += 1) await take(db, [thread('dm:skew')], 1, at(500));
      expect(await take(db, [thread('dm:skew')], 1, T0)).toMatchObject({ go: false, waitMs: 500 + 1000 + GUARD_MS });
      for (let i = 0; i < 60; i += 1) await take(db, [thread('dm:far')], 1, at(3_700_000 + 3_000 * i));
      expect(await take(db, [thread('dm:far')], 1, T0)).toMatchObject(GO); // an hour and more ahead: not counted yet
    });

    it('remembers whom a 1:1 chat is with', async () => {
      expect(await personalChatWith(db, 'a:1chat')).toBeUndefined();
      await rememberPersonalChat(db, 'a:1chat', '29:someone');
      await rememberPersonalChat(db, 'a:1chat', '29:someone');
      expect(await personalChatWith(db, 'a:1chat')).toBe('29:someone');
    });

    it('gives exactly 7 of 40 simultaneous requests for the same second a slot', async () => {
      const results = await Promise.all(Array.from({ length: 40 }, () => take(db, [thread('19:c@thread.tacv2'), tenant], 1, T0)));
      expect(results.filter((r) => r.go)).toHaveLength(7);
      expect(await logged(db, '19:c@thread.tacv2')).toBe(7);
    });
  });
}

describe.skipIf(!testEngines.find((e) => e.name === 'postgres')!.available)('two instances taking slots at once on PostgreSQL', () => {
  let first: Database & { schema: string };
  let second: Database;
  beforeEach(async () => {
    // Two pools on one schema: two instances of the service, 20 connections each.
    first = await openPostgresSchema({ max: 20 });
    second = openPostgresDatabase({ connectionString: process.env.DATABASE_URL!, searchPath: first.schema, max: 20 });
  });
  afterEach(async () => {
    await second.close();
    await first.close();
  });

  it('really runs the requests in parallel: counting and then logging without the lock gives out more than 7', async () => {
    // The control: the same count-then-insert, unlocked, on the same connections. It must overshoot,
    // or the test below would prove nothing about concurrency.
    const naive = (db: Database) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM send_log WHERE key = 'naive' AND at > $1::timestamptz - interval '1 second'`,
          [T0],
        );
        await tx.query('SELECT pg_sleep(0.02)');
        if (rows[0]!.n >= 7) return false;
        await tx.query(`INSERT INTO send_log (key, at, ops, answered_at, keep_until) VALUES ('naive', $1, 1, $1, $1)`, [T0]);
        return true;
      });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => naive(i % 2 ? first : second)));
    expect(results.filter(Boolean).length).toBeGreaterThan(7);
  });

  it("gives out exactly the windows' slots to 80 requests from two instances on 40 connections, for one thread and across the tenant", async () => {
    const started = performance.now();
    for (let round = 0; round < 5; round += 1) {
      const now = at(round * 10_000);
      const results = await Promise.all(
        Array.from({ length: 80 }, (_, i) => take(i % 2 ? first : second, [thread(`19:c${round}@thread.tacv2`), tenant], 1, now)),
      );
      expect(
        results.filter((r) => r.go),
        `round ${round}`,
      ).toHaveLength(7);
    }
    // 12 threads at once, 10 requests each: each thread gets 7 of its 10, the tenant 50 of the 84 that fit.
    const now = at(100_000);
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        take(i % 2 ? first : second, [thread(`dm:${i % 12}`), tenant], 1, now).then((r) => ({ thread: i % 12, go: r.go })),
      ),
    );
    console.log(`[send windows] 520 contended slot requests from two pools in ${Math.round(performance.now() - started)} ms`);
    expect(results.filter((r) => r.go)).toHaveLength(50);
    for (let t = 0; t < 12; t += 1) expect(results.filter((r) => r.go && r.thread === t).length).toBeLessThanOrEqual(7);
    expect(await logged(first, 'tenant:t1')).toBe(5 * 7 + 50);
  }, 60_000);
});
