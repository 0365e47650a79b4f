import { createHash } from 'node:crypto';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { enqueueMessage } from '../../src/adapters/store/outboxRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { sendDueMessages, type SenderDeps } from '../../src/app/outbox/outboxSender.ts';
import { GUARD_MS, THREAD_SEND_LIMITS } from '../../src/domain/delivery/teamsRateLimits.ts';
import { connectorErrors, type RecordedConnectorRequest } from '../support/botframework/botConnectorStandIn.ts';
import { TEST_APP_ID, TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM } from '../support/fixtures.ts';
import { CHANNEL, installInTestTeam, PEOPLE, type PersonKey, startTeamsHarness, TEAM, type TeamsHarness } from '../support/teamsHarness.ts';

/** The 1:1 chat the connector stand-in gives the bot and a person (the same chat every time). */
function personalChatId(teamsUserId: string): string {
  const digest = createHash('sha256').update(`${TEST_APP_ID}|${teamsUserId}`).digest('base64url');
  return `a:1${digest}${digest}`;
}

/** The most requests in any window of `ms` (Teams' own window, by arrival). */
function peak(times: readonly number[], ms: number): number {
  const at = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < at.length; j += 1) {
    while (at[j]! - at[i]! >= ms) i += 1;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

interface OutboxRow {
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
  available_at: Date;
}

describe("Teams' rate limits, held by the real sender against the Bot Connector stand-in", () => {
  let h: TeamsHarness;
  let caseId: string;
  let vote = 0;

  const invoke = async (
    who: PersonKey,
    verb: string,
    data: Record<string, unknown>,
    conversationType: 'personal' | 'channel' = 'channel',
  ) => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE[who] },
        tenantId: TEST_TENANT_ID,
        verb,
        data,
        conversationType,
        ...(conversationType === 'channel' ? { team: TEAM, channel: CHANNEL } : {}),
      }),
    );
    expect(res.status).toBe(200);
    return res.body as { value: unknown };
  };
  /** A police vote that changes something, so every card of the case is updated after it. */
  const changeVote = async () => {
    vote += 1;
    await invoke('policeDsp', 'case.vote', {
      caseId,
      agency: 'police',
      decision: vote % 2 ? 'notify' : 'do_not_notify',
      rationale: `Police view number ${vote} (fictional).`,
    });
  };
  const refreshRow = async () =>
    (await h.db.query<OutboxRow>(`SELECT kind, status, attempts, last_error, available_at FROM outbox WHERE kind = 'case_refresh'`))
      .rows[0]!;
  const updates = (): RecordedConnectorRequest[] => h.connector.requests.filter((r) => r.route === 'updateActivity');
  /** Every tenant row still kept was taken with a thread's (or team's) row, at the same instant, for as many operations. */
  const tenantCountedWithEachSlot = async () => {
    const { rows } = await h.db.query<{ at: Date; tenant: number; others: number }>(
      `SELECT at, sum(ops) FILTER (WHERE key LIKE 'tenant:%')::int AS tenant, sum(ops) FILTER (WHERE key NOT LIKE 'tenant:%')::int AS others
       FROM send_log GROUP BY at HAVING bool_or(key LIKE 'tenant:%')`,
    );
    for (const r of rows) expect(r.tenant, r.at.toISOString()).toBe(r.others);
  };

  beforeAll(async () => {
    h = await startTeamsHarness();
    for (const [who, agency] of [
      ['laDsp', 'local_authority'],
      ['policeDsp', 'police'],
      ['healthDsp', 'health'],
    ] as const) {
      await assignRole(h.db, { role: 'dsp', scope: agency, userId: PEOPLE[who].aadObjectId });
    }
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await installInTestTeam(h);
    await h.db.query('TRUNCATE send_log');
    h.connector.reset();
    const body = await invoke('referrer', 'referral.submit', { ...REFERRAL_FORM }, 'personal');
    expect(JSON.stringify(body.value)).toContain('HSSCP-2026-0001');
    await h.settle();
    caseId = (await h.db.query<{ id: string }>('SELECT id FROM cases')).rows[0]!.id;
  }, 120_000);
  afterAll(async () => h.close());

  it('counts every request the bot made to the connector, each under its thread and the tenant', async () => {
    // What the referral sent: the thread in the channel, a 1:1 copy per DSP (chat created, then the
    // card), the referrer's receipt is the invoke's answer (no request), and a roster read.
    const made = h.connector.requests.filter((r) => r.status === 200);
    const { rows } = await h.db.query<{ key: string; ops: number }>(
      'SELECT key, sum(ops)::int AS ops FROM send_log GROUP BY key ORDER BY key',
    );
    const ops = Object.fromEntries(rows.map((r) => [r.key, r.ops]));
    const tenantKey = `tenant:${TEST_TENANT_ID}`;
    // Each request is counted once against its thread (or the team, for a roster read)...
    expect(rows.filter((r) => r.key !== tenantKey).reduce((n, r) => n + r.ops, 0)).toBe(made.length);
    // ...and, in the same slot, against the tenant (whose rows are forgotten after 1.1 s, so some may be gone).
    await tenantCountedWithEachSlot();
    // The thread is a conversation created in the channel (counted apart from sends, as Teams does);
    // a 1:1 card is the chat's creation and a send in it.
    expect(ops[`create:${CHANNEL.id}`]).toBe(1);
    expect((ops[CHANNEL.id] ?? 0) + ops[`create:${CHANNEL.id}`]!).toBe(
      made.filter((r) => JSON.stringify(r.body ?? '').includes(CHANNEL.id) || r.conversationId?.startsWith(CHANNEL.id)).length,
    );
    for (const dsp of ['laDsp', 'policeDsp', 'healthDsp'] as const) {
      expect([ops[`create:dm:${PEOPLE[dsp].id}`], ops[`dm:${PEOPLE[dsp].id}`]]).toEqual([1, 1]);
    }
    // A reply chain is its channel and a 1:1 chat is its person: no key is a raw conversation id.
    expect(rows.filter((r) => r.key.includes(';messageid=') || r.key.startsWith('a:'))).toEqual([]);

    // The first vote changes the channel card and the three copies: each update counts against the
    // channel (the card is in a reply chain of it) or the person's 1:1 chat (not its conversation id).
    h.connector.reset();
    await changeVote();
    await h.settle();
    const changed = updates();
    expect(changed.length).toBeGreaterThanOrEqual(2);
    const after = Object.fromEntries(
      (await h.db.query<{ key: string; ops: number }>('SELECT key, sum(ops)::int AS ops FROM send_log GROUP BY key')).rows.map((r) => [
        r.key,
        r.ops,
      ]),
    );
    expect(after[CHANNEL.id] ?? 0).toBe(
      (ops[CHANNEL.id] ?? 0) + changed.filter((r) => r.conversationId!.startsWith(`${CHANNEL.id};messageid=`)).length,
    );
    for (const dsp of ['laDsp', 'policeDsp', 'healthDsp'] as const) {
      expect(after[`dm:${PEOPLE[dsp].id}`]).toBe(1 + changed.filter((r) => r.conversationId === personalChatId(PEOPLE[dsp].id)).length);
    }
    expect(
      Object.entries(after)
        .filter(([key]) => key !== tenantKey)
        .reduce((n, [, v]) => n + v, 0),
    ).toBe(made.length + changed.length);
    await tenantCountedWithEachSlot();
  });

  describe('with the wall clock faked (no real waiting)', () => {
    let wall: number;
    const slept: number[] = [];
    const deps = (): SenderDeps => ({
      ctx: h.services.ctx,
      gateway: h.services.gateway,
      logger: h.services.logger,
      instanceId: 'test-sender',
      wallNow: () => new Date(wall),
      sleep: async (ms) => {
        slept.push(ms);
        wall += ms;
      },
    });
    beforeEach(async () => {
      wall = Date.parse('2030-01-01T00:00:00Z'); // far from real time: nothing else counts in these windows
      slept.length = 0;
      h.connector.reset();
    });
    afterEach(async () => {
      await h.db.query('TRUNCATE send_log'); // its far-off times must not hold the real clock's windows
    });

    it('waits for a slot in every window before each post: 20 posts to the channel take 8 per 2.05 s', async () => {
      for (let i = 0; i < 20; i += 1) {
        await enqueueMessage(
          h.db,
          {
            dedupeKey: `digest:limits-${i}`,
            caseId: null,
            kind: 'channel_post',
            recipient: 'partnership_channel',
            payload: { digest: '2026-11-19' },
            availableAt: h.clock.now(),
          },
          h.clock.now(),
        );
      }
      const started = Date.now();
      const start = wall;
      expect(await sendDueMessages(deps(), { kinds: ['channel_post'] })).toMatchObject({ sent: 20, retried: 0, failed: 0 });
      expect(Date.now() - started).toBeLessThan(15_000); // the waits were the fake's
      const { rows } = await h.db.query<{ at: Date }>('SELECT at FROM send_log WHERE key = $1 AND at >= $2 ORDER BY at', [
        CHANNEL.id,
        new Date(start),
      ]);
      const at = rows.map((r) => r.at.getTime() - start);
      expect(at).toHaveLength(20);
      for (const w of THREAD_SEND_LIMITS) expect(peak(at, w.seconds * 1000), `${w.limit} per ${w.seconds} s`).toBeLessThanOrEqual(w.limit);
      // 7 at once, the 8th when the first second (and its guard) has passed, then 8 every 2.05 s.
      expect(at.slice(0, 7).every((t) => t < 1000)).toBe(true);
      expect(at[7]).toBeGreaterThanOrEqual(1000 + GUARD_MS);
      expect(at[8]).toBeGreaterThanOrEqual(2000 + GUARD_MS);
      expect(at[16]).toBeGreaterThanOrEqual(2 * (2000 + GUARD_MS));
      expect(slept.length).toBeGreaterThan(0);
      expect(h.connector.requests.filter((r) => r.conversationId === CHANNEL.id && r.status === 200)).toHaveLength(20);
    }, 60_000);

    it('ends a round that has waited 10 s for slots: the rest go back to the outbox unspent, so a stopping instance is not held', async () => {
      for (let i = 0; i < 45; i += 1) {
        await enqueueMessage(
          h.db,
          {
            dedupeKey: `digest:budget-${i}`,
            caseId: null,
            kind: 'channel_post',
            recipient: 'partnership_channel',
            payload: { digest: '2026-11-19' },
            availableAt: h.clock.now(),
          },
          h.clock.now(),
        );
      }
      const result = await sendDueMessages(deps(), { kinds: ['channel_post'] });
      // 8 per 2.05 s: about 40 fit in 10 s of waiting, the rest wait in the outbox.
      expect(result.sent).toBeGreaterThanOrEqual(35);
      expect(result.sent).toBeLessThan(45);
      expect(result.sent + result.retried).toBe(45);
      expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
      const { rows } = await h.db.query<OutboxRow>(
        `SELECT kind, status, attempts, last_error, available_at FROM outbox WHERE dedupe_key LIKE 'digest:budget-%' AND status = 'pending'`,
      );
      expect(rows).toHaveLength(result.retried);
      for (const r of rows) expect(r).toMatchObject({ attempts: 0 });
      expect(rows[0]!.last_error).toContain("Teams' limit");
    }, 60_000);

    it('sends a post back to the outbox for later, without using an attempt, when the 60 per 30 s window is full', async () => {
      // Another instance used the channel's 60 in the last 6.4 s (by this clock).
      await h.db.query(
        `INSERT INTO send_log (key, at, ops, answered_at, keep_until)
         SELECT $1, $2::timestamptz - (i * interval '100 milliseconds'), 1, $2::timestamptz - (i * interval '100 milliseconds'), $2::timestamptz + interval '1 hour'
         FROM generate_series(5, 64) AS i`,
        [CHANNEL.id, new Date(wall)],
      );
      await enqueueMessage(
        h.db,
        {
          dedupeKey: 'digest:limits-held',
          caseId: null,
          kind: 'channel_post',
          recipient: 'partnership_channel',
          payload: { digest: '2026-11-19' },
          availableAt: h.clock.now(),
        },
        h.clock.now(),
      );
      expect(await sendDueMessages(deps(), { kinds: ['channel_post'] })).toMatchObject({ sent: 0, retried: 1 });
      expect(slept).toEqual([]); // longer than a sender waits in place (10 s): not waited for
      const { rows } = await h.db.query<OutboxRow>(
        `SELECT kind, status, attempts, last_error, available_at FROM outbox WHERE dedupe_key = 'digest:limits-held'`,
      );
      expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0 });
      expect(rows[0]!.last_error).toContain("Teams' limit of 60 per 30 s");
      // The oldest of the 60 was 6.4 s ago: it leaves the window (plus guard) in 23.65 s.
      expect(rows[0]!.available_at.getTime() - h.clock.now().getTime()).toBe(30_000 + GUARD_MS - 6_400);
      expect(h.connector.requests).toEqual([]);
    });
  });

  describe('429 from Teams, with and without Retry-After', () => {
    beforeEach(async () => {
      await h.db.query(`UPDATE outbox SET status = 'sent' WHERE status = 'pending'`);
      h.connector.reset();
    });
    /** The updates after a vote: only the cards whose content changed are updated, the police DSP's copy at least. */
    const voteAndSettle = async () => {
      await changeVote();
      await h.settle();
      return updates();
    };

    it('reschedules a card update refused with 429 and no Retry-After with backoff (botbuilder does not retry it), then sends it', async () => {
      h.connector.failNext('updateActivity', connectorErrors.throttledWithoutRetryAfter());
      const [refused, ...rest] = await voteAndSettle();
      expect([refused!.status, rest]).toEqual([429, []]); // the refresh stops at the refusal
      const row = await refreshRow();
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.last_error).toContain('429');
      const delay = row.available_at.getTime() - h.clock.now().getTime();
      expect(delay).toBeGreaterThanOrEqual(1_600);
      expect(delay).toBeLessThanOrEqual(2_400);
      expect(await h.services.send()).toMatchObject({ sent: 0 }); // not before its time
      h.clock.advanceMs(2_500);
      expect(await h.services.send()).toMatchObject({ sent: 1 });
      expect(updates().find((r) => r.status === 200 && r.conversationId === refused!.conversationId)).toBeDefined();
    });

    it('lets botbuilder retry a 429 with a short Retry-After itself, after waiting it out', async () => {
      h.connector.failNext('updateActivity', connectorErrors.throttled(1));
      const [refused, retried] = await voteAndSettle();
      expect([refused!.status, retried!.status]).toEqual([429, 200]);
      expect(retried!.conversationId).toBe(refused!.conversationId);
      expect(retried!.receivedAt - refused!.receivedAt).toBeGreaterThanOrEqual(950);
      expect(await refreshRow()).toMatchObject({ status: 'sent' });
    });

    it.each([
      ['in seconds', () => connectorErrors.throttled(120)],
      ['as an HTTP-date', () => connectorErrors.throttledUntil(new Date(Date.now() + 120_000))],
    ])("honours a Retry-After %s that outlasts botbuilder's own retries: the update is rescheduled for then", async (_form, failure) => {
      // botbuilder's pipeline retries a 429 with Retry-After three times; the fourth answer reaches the outbox.
      h.connector.failNext('updateActivity', connectorErrors.throttled(0), { times: 3 });
      h.connector.failNext('updateActivity', failure());
      const refused = await voteAndSettle();
      expect(refused.map((r) => r.status)).toEqual([429, 429, 429, 429]);
      expect(new Set(refused.map((r) => r.conversationId)).size).toBe(1);
      const row = await refreshRow();
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      const delay = row.available_at.getTime() - h.clock.now().getTime();
      expect(delay).toBeGreaterThanOrEqual(118_000); // an HTTP-date has whole seconds
      expect(delay).toBeLessThanOrEqual(121_000);
      h.clock.advanceMs(60_000);
      expect(await h.services.send()).toMatchObject({ sent: 0 });
      h.clock.advanceMs(61_000);
      expect(await h.services.send()).toMatchObject({ sent: 1 });
      expect(updates().at(-1)).toMatchObject({ status: 200, conversationId: refused[0]!.conversationId });
    });
  });
});
