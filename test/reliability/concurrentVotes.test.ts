import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { findCase } from '../../src/adapters/store/caseRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { listVotes } from '../../src/adapters/store/voteRepository.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { TEST_APP_ID, TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { postActivity } from '../support/botframework/postActivity.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { hsscp, sampleReferral, seededRandom } from '../support/fixtures.ts';
import {
  assignTestDsps,
  CHANNEL,
  installInTestTeam,
  PEOPLE,
  type PersonKey,
  startTeamsHarness,
  TEAM,
  type TeamsHarness,
} from '../support/teamsHarness.ts';
import { testEngines } from '../support/testDatabases.ts';

/**
 * 1,000 'case.vote' invokes on one case, through the HTTP app with bot authentication on, from the
 * three DSPs: mostly double clicks (the same agency, decision and rationale again), some changes of
 * mind from the same DSP, all in flight together. Whatever the interleaving, each agency has exactly
 * one vote, the decision is made once, and the audit chain is unbroken. On PGlite and PostgreSQL.
 */

const INVOKES = 1_000;
/** Requests in flight at once (a rolling window: a new one starts as soon as one is answered). */
const IN_FLIGHT = 100;
const SEED = 20261119;

const DSPS = [
  ['laDsp', 'local_authority'],
  ['policeDsp', 'police'],
  ['healthDsp', 'health'],
] as const satisfies readonly (readonly [PersonKey, string])[];

type Vote = { who: PersonKey; agency: string; decision: string; rationale: string; where: 'channel' | 'personal' };
type InvokeBody = { statusCode?: number; type?: string; value?: { type?: string } };
type Effect = 'cast' | 'changed' | 'unchanged' | 'refused_after_decision' | 'other';

/**
 * The mix, in start order. Phase one (the first 400): only the local authority and police DSPs: a
 * burst of 40 identical first votes racing to be first, then ~94% identical duplicates and ~6%
 * conflicting changes (a new rationale, or a different decision) while the decision is still open.
 * Phase two (the other 600): the health DSP joins with a burst of 20 identical first votes (one of
 * them closes the decision), then the same mix from all three, most changes now arriving too late.
 * Channel and 1:1 copies of the card both vote.
 */
function voteMix(): Vote[] {
  const random = seededRandom(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const where = (): Vote['where'] => (random() < 0.7 ? 'channel' : 'personal');
  const canonical = ([who, agency]: (typeof DSPS)[number]): Vote => ({
    who,
    agency,
    decision: 'notify',
    rationale: `${agency}: the criteria are met (fictional).`,
    where: where(),
  });
  const mixed = (from: readonly (typeof DSPS)[number][]): Vote => {
    const dsp = pick(from);
    const [who, agency] = dsp;
    const r = random();
    if (r < 0.94) return canonical(dsp);
    if (r < 0.97)
      return {
        who,
        agency,
        decision: 'notify',
        rationale: `${agency}: criteria met, revised wording ${Math.floor(random() * 5)} (fictional).`,
        where: where(),
      };
    return {
      who,
      agency,
      decision: pick(['do_not_notify', 'learning_review']),
      rationale: `${agency}: on reflection, not met (fictional).`,
      where: where(),
    };
  };
  const shuffled = (xs: Vote[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  const two = DSPS.slice(0, 2);
  const phaseOne: Vote[] = Array.from({ length: 20 }, () => two.map(canonical)).flat();
  const phaseOneRest = shuffled(Array.from({ length: 400 - phaseOne.length }, () => mixed(two)));
  const healthBurst: Vote[] = Array.from({ length: 20 }, () => canonical(DSPS[2]));
  const phaseTwoRest = shuffled(Array.from({ length: INVOKES - 400 - healthBurst.length }, () => mixed(DSPS)));
  return [...phaseOne, ...phaseOneRest, ...healthBurst, ...phaseTwoRest];
}

function effectOf(text: string): Effect {
  if (/Your vote for [^"]+ is recorded\./.test(text)) return 'cast';
  if (/Your vote for [^"]+ is changed\./.test(text)) return 'changed';
  if (text.includes('Your vote was already recorded; nothing changed.')) return 'unchanged';
  if (/Your vote was not recorded: the decision on \S+ has already been made/.test(text)) return 'refused_after_decision';
  return 'other';
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`1,000 duplicate and concurrent vote invokes on ${engine.name}: exactly one vote per DSP`, () => {
    let h: TeamsHarness;
    let caseId: string;

    beforeAll(async () => {
      h = await startTeamsHarness({ db: await engine.open() });
      await assignTestDsps(h);
      await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
      await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
      await installInTestTeam(h);
      caseId = (await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id;
      await h.settle();
    }, 30_000);
    afterAll(async () => h?.close());

    it('answers every invoke with a card, records one vote per agency, decides once, and keeps the audit chain', async () => {
      const votes = voteMix();
      expect(votes).toHaveLength(INVOKES);
      const count = async (sql: string, params: unknown[] = []) => (await h.db.query<{ n: number }>(sql, params)).rows[0]!.n;

      // Built and signed before the clock starts: one channel token for all, as the Bot Framework
      // reuses a token for its lifetime; each activity is Microsoft's published invoke shape.
      const token = await h.identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: h.connector.serviceUrl });
      const activities = votes.map((vote) =>
        adaptiveCardExecute({
          serviceUrl: h.connector.serviceUrl,
          bot: h.botAccount,
          from: { ...PEOPLE[vote.who] },
          tenantId: TEST_TENANT_ID,
          verb: 'case.vote',
          data: { caseId, agency: vote.agency, decision: vote.decision, rationale: vote.rationale },
          conversationType: vote.where,
          ...(vote.where === 'channel' ? { team: TEAM, channel: CHANNEL } : {}),
        }),
      );
      const started = performance.now();
      const answers = await pool(
        votes.map((vote, i) => async () => {
          const t0 = performance.now();
          const res = await postActivity(h.bot.origin, activities[i], { token });
          return { vote, status: res.status, body: res.body as InvokeBody, ms: performance.now() - t0 };
        }),
        IN_FLIGHT,
      );
      const wallMs = performance.now() - started;
      await h.settle();

      // Every answer: HTTP 200 with an Adaptive Card, never a 5xx and never the "something went wrong" card.
      const statuses = new Map<number, number>();
      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      expect(Object.fromEntries(statuses)).toEqual({ 200: INVOKES });
      for (const a of answers) {
        expect(a.body.type).toBe('application/vnd.microsoft.card.adaptive');
        expect(a.body.value?.type).toBe('AdaptiveCard');
        expect(JSON.stringify(a.body.value)).not.toContain('Sorry, that did not work');
      }

      const effects: Record<Effect, number> = { cast: 0, changed: 0, unchanged: 0, refused_after_decision: 0, other: 0 };
      for (const a of answers) effects[effectOf(JSON.stringify(a.body.value))] += 1;
      expect(effects.other).toBe(0);
      expect(effects.cast).toBe(DSPS.length); // one first vote per agency, however many raced for it

      // The store: exactly one vote per agency; one decision; one audit entry per recorded vote.
      const stored = await listVotes(h.db, caseId);
      expect(stored.map((v) => v.agency).sort()).toEqual(DSPS.map(([, agency]) => agency).sort());
      expect(await count('SELECT count(*)::int AS n FROM votes WHERE case_id = $1', [caseId])).toBe(3);
      expect(
        await count(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'notification_decision'`, [caseId]),
      ).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND action = 'decision_made'`, [caseId])).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND action = 'vote_cast'`, [caseId])).toBe(
        effects.cast,
      );
      expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND action = 'vote_changed'`, [caseId])).toBe(
        effects.changed,
      );

      // The decision was taken on the votes as they stand: nothing changed them after it closed.
      const decision = (
        await h.db.query<{ data: { outcome: string; votes: Record<string, { decision: string; rationale: string }> } }>(
          `SELECT data FROM case_events WHERE case_id = $1 AND type = 'notification_decision'`,
          [caseId],
        )
      ).rows[0]!.data;
      expect(decision.votes).toEqual(Object.fromEntries(stored.map((v) => [v.agency, { decision: v.decision, rationale: v.rationale }])));
      const decisions = new Set(stored.map((v) => v.decision));
      const expectedOutcome = decisions.size === 1 ? [...decisions][0]! : 'disagreed';
      expect(decision.outcome).toBe(expectedOutcome);
      const expectedStage =
        expectedOutcome === 'disagreed'
          ? hsscp.notificationDecision.onDisagreement.next
          : hsscp.notificationDecision.outcomes.find((o) => o.id === expectedOutcome)!.next;
      expect((await findCase(h.db, caseId))?.stage).toBe(expectedStage);

      const chain = await verifyAuditChain(h.db);
      expect(chain.problems).toEqual([]);
      expect(chain.ok).toBe(true);

      const latencies = answers.map((a) => a.ms).sort((x, y) => x - y);
      console.log(
        [
          `[concurrentVotes:${engine.name}] ${INVOKES} invokes, ${IN_FLIGHT} in flight, seed ${SEED}: ${wallMs.toFixed(0)} ms wall, ${(INVOKES / (wallMs / 1000)).toFixed(0)} invokes/s`,
          `  latency ms: p50 ${percentile(latencies, 50).toFixed(0)}, p95 ${percentile(latencies, 95).toFixed(0)}, max ${latencies.at(-1)!.toFixed(0)}`,
          `  invokes ${INVOKES}; recorded ${effects.cast + effects.changed} (first votes ${effects.cast}, changes ${effects.changed}); unchanged ${effects.unchanged}; refused after the decision ${effects.refused_after_decision}`,
          `  votes rows ${stored.length}; decision ${decision.outcome} -> stage ${expectedStage}; audit entries ${chain.entries}, chain ok`,
        ].join('\n'),
      );
    }, 60_000);
  });
}
