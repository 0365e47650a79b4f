// Benchmark: a burst of vote changes on one case, and the card updates it costs Teams, against Teams'
// per-thread limits (7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour) and the tenant's 50 a second.
// The real service (src/composition.ts, authentication on) with the Teams harness around it
// (test/support/teamsHarness.ts): a case with 3 DSPs, announced in the channel (its thread) and 1:1 to
// each DSP; then 50 signed `case.vote` invokes that each change a vote, spread over 10 s. The outbox
// sender runs as the service runs it: woken after each action, and a round every 3 s (src/main.ts).
// The times counted are when each request reached the Bot Connector stand-in, as Teams would count.
// Two bursts, each on a case of its own: one DSP changing their vote 50 times (all on one 1:1 chat),
// then two DSPs alternating. Prints the figures; not a test, not run by CI.
//
//   npx tsx test/bench/cardBurst.bench.ts                                                # PGlite
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx test/bench/cardBurst.bench.ts   # PostgreSQL
//
// Environment: BENCH_VOTES (default 50), BENCH_BURST_SECONDS (default 10).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { TENANT_LIMITS, THREAD_SEND_LIMITS, threadOf } from '../../src/domain/delivery/teamsRateLimits.ts';
import type { RecordedConnectorRequest } from '../support/botframework/botConnectorStandIn.ts';
import { TEST_APP_ID, TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM } from '../support/fixtures.ts';
import { CHANNEL, installInTestTeam, PEOPLE, type PersonKey, startTeamsHarness, TEAM, type TeamsHarness } from '../support/teamsHarness.ts';

const VOTES = Number(process.env.BENCH_VOTES ?? 50);
const BURST_MS = Number(process.env.BENCH_BURST_SECONDS ?? 10) * 1000;
const ROUND_MS = 3000; // the service's periodic outbox round (src/main.ts)
const DSPS = [
  ['laDsp', 'local_authority'],
  ['policeDsp', 'police'],
  ['healthDsp', 'health'],
] as const satisfies readonly (readonly [PersonKey, string])[];

/** The 1:1 chat the connector stand-in gives the bot and a person. */
const chatOf = (teamsUserId: string) => {
  const digest = createHash('sha256').update(`${TEST_APP_ID}|${teamsUserId}`).digest('base64url');
  return `a:1${digest}${digest}`;
};
const chatNames = new Map(DSPS.map(([who]) => [chatOf(PEOPLE[who].id), `1:1 ${PEOPLE[who].name}`]));

/** Which thread a recorded request went to, as Teams counts threads: a channel's reply chains are the channel. */
function threadOfRequest(r: RecordedConnectorRequest): string {
  if (r.conversationId) {
    const thread = threadOf(r.conversationId);
    return thread === CHANNEL.id ? 'channel' : (chatNames.get(thread) ?? thread);
  }
  const body = r.body as { channelData?: { channel?: { id?: string } }; members?: { id: string }[] } | undefined;
  if (body?.channelData?.channel?.id) return 'channel';
  const member = body?.members?.[0]?.id;
  return member ? (chatNames.get(chatOf(member)) ?? member) : 'other';
}

/** The most requests in any window of `ms`. */
function peak(times: readonly number[], ms: number): number {
  const at = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < at.length; j += 1) {
    while (at[j]! - at[i]! >= ms) i += 1;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

async function openStore() {
  if (!process.env.DATABASE_URL) return { label: 'PGlite', db: undefined };
  const { openPostgresSchema } = await import('../support/testDatabases.ts');
  return { label: 'PostgreSQL', db: await openPostgresSchema() };
}

async function main() {
  const store = await openStore();
  const h: TeamsHarness = await startTeamsHarness(store.db ? { db: store.db } : {});
  // The application's clock follows real time from its fake start, so a retry's time comes round.
  const fakeStart = h.clock.now().getTime();
  const realStart = Date.now();
  const ticking = setInterval(() => h.clock.set(new Date(fakeStart + (Date.now() - realStart))), 50);
  // The service's periodic round, never overlapping itself.
  let roundBusy = false;
  const rounds = setInterval(() => {
    if (roundBusy) return;
    roundBusy = true;
    void h.services
      .send()
      .catch((error: unknown) => console.error('round failed', error))
      .finally(() => {
        roundBusy = false;
      });
  }, ROUND_MS);

  try {
    for (const [who, agency] of DSPS) await assignRole(h.db, { role: 'dsp', scope: agency, userId: PEOPLE[who].aadObjectId });
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await installInTestTeam(h);
    const invoke = async (who: PersonKey, verb: string, data: Record<string, unknown>, conversationType: 'personal' | 'channel') => {
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
      return { status: res.status, text: JSON.stringify(res.body) };
    };

    console.log(
      `Card burst on ${store.label}: ${VOTES} vote changes on one case within ${BURST_MS / 1000} s, the sender woken after each and every ${ROUND_MS / 1000} s`,
    );
    for (const voters of [['policeDsp'], ['policeDsp', 'healthDsp']] as const) {
      const before = (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases')).rows[0]!.n;
      await invoke('referrer', 'referral.submit', { ...REFERRAL_FORM }, 'personal');
      await h.settle();
      const { rows } = await h.db.query<{ id: string }>('SELECT id FROM cases ORDER BY created_at DESC, reference DESC LIMIT 1');
      const caseId = rows[0]!.id;
      if ((await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases')).rows[0]!.n !== before + 1)
        throw new Error('no case was opened');
      h.connector.reset();

      // The burst: vote i is sent at i * BURST_MS / VOTES, whether or not the one before has been answered.
      const began = performance.now();
      const lastRationale = new Map<string, string>();
      let lastAnswered = 0;
      let lastAnsweredAt = 0; // wall clock, as the stand-in stamps requests
      const answers = await Promise.all(
        Array.from({ length: VOTES }, async (_, i) => {
          await sleep((i * BURST_MS) / VOTES);
          const who = voters[i % voters.length]!;
          const agency = DSPS.find(([p]) => p === who)![1];
          const rationale = `Burst ${voters.length} vote ${i + 1}: ${who} (fictional).`;
          lastRationale.set(who, rationale);
          const answer = await invoke(
            who,
            'case.vote',
            { caseId, agency, decision: Math.floor(i / voters.length) % 2 ? 'do_not_notify' : 'notify', rationale },
            'channel',
          );
          lastAnswered = Math.max(lastAnswered, performance.now());
          lastAnsweredAt = Math.max(lastAnsweredAt, Date.now());
          return answer;
        }),
      );
      const burstSeconds = (lastAnswered - began) / 1000;
      // Then until every card is current: nothing of the case's left in the outbox, the sender idle.
      for (;;) {
        await h.services.work.drain();
        const pending = (
          await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'claimed') AND case_id = $1`, [
            caseId,
          ])
        ).rows[0]!.n;
        if (pending === 0 && !roundBusy) break;
        await sleep(200);
      }
      const done = performance.now();

      const requests = h.connector.requests.filter((r) => r.status !== 0);
      const updates = requests.filter((r) => r.route === 'updateActivity');
      const byThread = new Map<string, number[]>();
      for (const r of requests) byThread.set(threadOfRequest(r), [...(byThread.get(threadOfRequest(r)) ?? []), r.receivedAt]);
      const accepted = answers.filter((a) => a.status === 200 && a.text.includes('is recorded')).length;
      const refreshes = (
        await h.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.kind = 'case_refresh' AND o.case_id = $1`,
          [caseId],
        )
      ).rows[0]!.n;
      const lastUpdate = Math.max(...updates.map((u) => u.receivedAt));
      const finalShown = [...lastRationale].map(([who, rationale]) => {
        const mine = updates.filter((u) => u.conversationId === chatOf(PEOPLE[who as PersonKey].id) && u.status === 200).at(-1);
        if (mine && JSON.stringify(mine.body).includes(rationale)) return `${who}: yes`;
        const shown = /Burst \d+ vote (\d+)/.exec(JSON.stringify(mine?.body ?? ''))?.[1];
        return `${who}: NO (it shows vote ${shown ?? 'none'}; wanted "${rationale}")`;
      });

      console.log(`\n${voters.length === 1 ? 'One DSP (police) changing their vote' : 'Two DSPs (police, health) alternating'}`);
      console.log(
        `  votes answered: ${answers.filter((a) => a.status === 200).length} of ${VOTES} (${accepted} recorded) in ${burstSeconds.toFixed(1)} s`,
      );
      console.log(
        `  card updates sent (updateActivity requests at the stand-in): ${updates.filter((u) => u.status === 200).length}` +
          `${updates.some((u) => u.status !== 200) ? ` (+${updates.filter((u) => u.status !== 200).length} refused)` : ''}, in ${refreshes} refreshes of the case's cards` +
          ` (the refresh is one outbox row per case, coalesced); other requests: ${requests.length - updates.length}`,
      );
      console.log(
        `  every card current ${((done - began) / 1000).toFixed(1)} s after the first vote; the last update reached Teams ${((lastUpdate - lastAnsweredAt) / 1000).toFixed(1)} s after the last vote was answered`,
      );
      console.log(`  each voter's own card ends showing their last vote: ${finalShown.join(', ')}`);
      console.log('  highest requests per thread in any window (by arrival at the stand-in) vs the limit:');
      console.log(
        `    ${'thread'.padEnd(34)} ${'requests'.padStart(8)} ${THREAD_SEND_LIMITS.slice(0, 3)
          .map((w) => `${w.seconds} s`.padStart(10))
          .join('')}`,
      );
      for (const [thread, times] of [...byThread].sort((a, b) => b[1].length - a[1].length)) {
        console.log(
          `    ${thread.padEnd(34)} ${String(times.length).padStart(8)} ${THREAD_SEND_LIMITS.slice(0, 3)
            .map((w) => `${peak(times, w.seconds * 1000)} / ${w.limit}`.padStart(10))
            .join('')}`,
        );
      }
      const all = requests.map((r) => r.receivedAt);
      console.log(
        `    ${'tenant (every request)'.padEnd(34)} ${String(all.length).padStart(8)} ${`${peak(all, 1000)} / ${TENANT_LIMITS[0]!.limit}`.padStart(10)}`,
      );
    }
  } finally {
    clearInterval(rounds);
    clearInterval(ticking);
    while (roundBusy) await sleep(50);
    await h.close();
  }
}

await main();
