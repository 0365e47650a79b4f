import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { listCaseEvents } from '../../src/adapters/store/caseEventRepository.ts';
import { findCase } from '../../src/adapters/store/caseRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { caseStateOf } from '../../src/app/lifecycle/caseState.ts';
import { confirmNotification } from '../../src/app/lifecycle/confirmNotification.ts';
import { recordStep } from '../../src/app/lifecycle/recordStep.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { LIFECYCLE_STEPS } from '../../src/domain/lifecycle/lifecycleCatalogue.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { hsscp, sampleReferral } from '../support/fixtures.ts';
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
import {
  BAD_CASE_IDS,
  type CardSubmission,
  cardSubmission,
  INHERITED_NAMES,
  knownFieldIds,
  plausibleSubmission,
  type StepPlan,
} from './support/fuzzCardInputs.ts';

/**
 * Fuzzed Adaptive Card submissions (Action.Execute invokes, bot authentication on) from people
 * holding various roles, against cases at different stages. For every request: no 5xx and an
 * Adaptive Card answer (or, for card data that is not an object, a 400 from the inbound gate before
 * any handler); and no partial writes: a request records case events if and only if it wrote the
 * audit entry that goes with them, and a request answered "Nothing was changed" changed nothing.
 * The audit chain verifies at the end.
 */

const SEED = 424242;
const RUNS = 300;
const CARD = 'application/vnd.microsoft.card.adaptive';
const FAILURE_CARD = 'Sorry, that did not work';
/** Every card the router answers an unexpected error with (src/app/teams/cardActions.ts failureCard): none should appear. */
const FAULT_CARDS = [FAILURE_CARD, 'Recorded, but the card could not be shown', 'Sorry, that did not finish'];
/** What the inbound gate answers, with a 400, for an invoke whose card data is not an object. */
const NOT_A_CARD_ACTION = { error: 'not a card action this bot can read' };
/** Card data the inbound gate refuses: anything but an object (null and absent data reach the bot as `{}`). */
const isRefusedData = (data: unknown) => data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data));

/** Audit actions that record case events in the same transaction (and are the only ones that do). */
const WITH_EVENTS = (action: string) =>
  action === 'referral_submitted' || action === 'panel_notified' || action === 'decision_made' || action.startsWith('step:');
/** Audit actions that, by design, record no case event: a vote before the decision, a read of full details, a change of roles... */
const WITHOUT_EVENTS = new Set([
  'vote_cast',
  'vote_changed',
  'details_viewed',
  'roles_changed',
  'alert_acknowledged',
  'alert_snoozed',
  'meeting_cancelled',
  'meeting_rebooked',
  'meeting_poll_closed',
  'email_not_referral',
  'email_converted',
  'channel_repointed',
]);

type InvokeBody = { statusCode?: number; type?: string; value?: { type?: string } & Record<string, unknown> };

describe('fuzzed card submissions: no 5xx, and no partial writes', () => {
  let h: TeamsHarness;
  const cases: Record<string, string> = {};
  let fieldIds: string[] = [];
  const plans: StepPlan[] = [];
  let baselineRoles = '';

  const people = Object.keys(PEOPLE) as PersonKey[];
  const activityOf = (s: CardSubmission) =>
    adaptiveCardExecute({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE[s.who] },
      tenantId: TEST_TENANT_ID,
      verb: s.verb,
      data: s.data as Record<string, unknown>,
      conversationType: s.where,
      ...(s.where === 'channel' ? { team: TEAM, channel: CHANNEL } : {}),
    });

  const one = async <T>(sql: string, params: unknown[] = []) => (await h.db.query<T & Record<string, unknown>>(sql, params)).rows[0]!;
  const rolesNow = async () =>
    (await h.db.query<{ r: string }>(`SELECT role || '/' || scope || '/' || user_id AS r FROM role_assignments ORDER BY 1`)).rows
      .map((x) => x.r)
      .join(',');
  const marks = async () =>
    one<{ audit: number; events: number; cases: number; votes: number; outbox: number }>(
      `SELECT (SELECT coalesce(max(seq), 0) FROM audit_log)::int AS audit, (SELECT coalesce(max(id), 0) FROM case_events)::int AS events,
            (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM votes)::int AS votes, (SELECT count(*) FROM outbox)::int AS outbox`,
    );

  /** Sends one submission, waits for its background work, and says what it wrote. */
  async function submit(s: CardSubmission) {
    const before = await marks();
    const res = await h.send(activityOf(s));
    await h.settle();
    const after = await marks();
    const audit = (
      await h.db.query<{ action: string; case_id: string | null }>('SELECT action, case_id FROM audit_log WHERE seq > $1 ORDER BY seq', [
        before.audit,
      ])
    ).rows;
    const events = (
      await h.db.query<{ case_id: string; type: string }>('SELECT case_id, type FROM case_events WHERE id > $1 ORDER BY id', [
        before.events,
      ])
    ).rows;
    const body = res.body as InvokeBody | undefined;
    const text = JSON.stringify(body?.value ?? null);
    return {
      status: res.status,
      body,
      text,
      isCard: body?.type === CARD && body.value?.type === 'AdaptiveCard',
      failed: FAULT_CARDS.some((title) => text.includes(title)),
      saidNothingChanged: text.includes('Nothing was changed'),
      audit,
      events,
      rowsChanged:
        after.cases !== before.cases ||
        after.votes !== before.votes ||
        after.outbox !== before.outbox ||
        audit.length > 0 ||
        events.length > 0,
    };
  }
  type Submitted = Awaited<ReturnType<typeof submit>>;

  /**
   * What is wrong with the answer itself: not a card (or, for data that is not an object, not the
   * gate's 400), "Nothing was changed" when rows were written, or any fault card.
   */
  function answerProblem(r: Submitted, data: unknown): string | undefined {
    if (isRefusedData(data)) {
      if (r.status !== 400 || JSON.stringify(r.body) !== JSON.stringify(NOT_A_CARD_ACTION))
        return `data that is not an object not refused by the gate (HTTP ${r.status}, ${JSON.stringify(r.body).slice(0, 80)})`;
      return r.rowsChanged ? 'data that is not an object refused with a 400, but rows were written' : undefined;
    }
    if (!r.isCard) return `no Adaptive Card in the answer (HTTP ${r.status}, value ${r.text.slice(0, 80)})`;
    if (r.saidNothingChanged && r.rowsChanged)
      return `the answer said "Nothing was changed" but the request wrote ${r.audit.map((a) => a.action).join(', ') || 'rows'}`;
    if (r.failed) return `a fault card (an unexpected error in the handler): ${r.text.slice(0, 120)}`;
    return undefined;
  }

  /** The no-partial-writes rules (case events if and only if their audit entry); returns what is wrong. */
  function partialWrites(r: Submitted): string[] {
    const problems: string[] = [];
    const withEvents = r.audit.filter((a) => WITH_EVENTS(a.action));
    const unclassified = r.audit.filter((a) => !WITH_EVENTS(a.action) && !WITHOUT_EVENTS.has(a.action));
    if (unclassified.length > 0) problems.push(`audit actions this test does not know: ${unclassified.map((a) => a.action).join(', ')}`);
    if (r.events.length > 0 && withEvents.length === 0)
      problems.push(`${r.events.length} case event(s) (${r.events.map((e) => e.type).join(', ')}) without their audit entry`);
    if (withEvents.length > 0 && r.events.length === 0)
      problems.push(`audit ${withEvents.map((a) => a.action).join(', ')} without any case event`);
    const audited = new Set(withEvents.map((a) => a.case_id));
    const stray = r.events.filter((e) => !audited.has(e.case_id));
    if (stray.length > 0)
      problems.push(`case events on a case no audit entry of this request names: ${stray.map((e) => e.type).join(', ')}`);
    return problems;
  }

  const restoreRoles = async () => {
    if ((await rolesNow()) === baselineRoles) return;
    await h.db.query('DELETE FROM role_assignments');
    for (const r of baselineRoles.split(',')) {
      const [role, scope, userId] = r.split('/') as [string, string, string];
      await assignRole(h.db, { role, scope, userId });
    }
  };

  beforeAll(async () => {
    h = await startTeamsHarness();
    const ctx = h.services.ctx;
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await assignRole(h.db, { role: 'agency_leads', scope: 'police', userId: PEOPLE.policeLead.aadObjectId });
    await assignRole(h.db, { role: 'rr_chair', scope: '', userId: PEOPLE.referrer.aadObjectId });
    await assignRole(h.db, { role: 'partnership_chair', scope: '', userId: PEOPLE.referrer.aadObjectId });
    await assignRole(h.db, { role: 'engine_room', scope: '', userId: PEOPLE.healthDsp.aadObjectId });
    await installInTestTeam(h);

    const open = async (name: string) => (cases[name] = (await submitReferral(ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id);
    const votes = async (caseId: string, decisions: [string, string, string]) => {
      for (const [i, [who, agency]] of (
        [
          ['laDsp', 'local_authority'],
          ['policeDsp', 'police'],
          ['healthDsp', 'health'],
        ] as const
      ).entries()) {
        await castVote(ctx, { caseId, agency, decision: decisions[i]!, rationale: `${agency} (fictional).` }, PEOPLE[who].aadObjectId);
      }
    };
    // Awaiting the DSPs (one vote in); awaiting the Panel notification; in the rapid review with a
    // request out to the police; at governance; in dispute resolution; in a learning review; new.
    await castVote(
      ctx,
      { caseId: await open('dspDecision'), agency: 'police', decision: 'notify', rationale: 'Police (fictional).' },
      PEOPLE.policeDsp.aadObjectId,
    );
    await votes(await open('notification'), ['notify', 'notify', 'notify']);
    for (const name of ['rapidReview', 'governance']) {
      await votes(await open(name), ['notify', 'notify', 'notify']);
      await confirmNotification(
        ctx,
        { caseId: cases[name], notifiedOn: '2026-11-19', panelReference: `CSPRP-TEST-${name}` },
        PEOPLE.notifier.aadObjectId,
      );
      await recordStep(
        ctx,
        { caseId: cases[name]!, step: 'info_requests_sent', values: { agencies: 'police' } },
        PEOPLE.manager.aadObjectId,
      );
    }
    const criteria = Object.fromEntries(hsscp.reviewCriteria.map((c) => [`view_${c.id}`, 'met']));
    await recordStep(
      ctx,
      {
        caseId: cases.governance!,
        step: 'rr_meeting_held',
        values: { heldOn: '2026-11-19', ...criteria, conclusion: 'local_review', reasons: 'Fictional reasons.' },
      },
      PEOPLE.manager.aadObjectId,
    );
    await votes(await open('dispute'), ['notify', 'do_not_notify', 'notify']);
    await votes(await open('learning'), ['learning_review', 'learning_review', 'learning_review']);
    await open('fresh'); // awaiting all three DSPs
    await h.settle();
    h.connector.reset();

    const stages = await Promise.all(Object.entries(cases).map(async ([name, id]) => `${name}=${(await findCase(h.db, id))!.stage}`));
    expect(stages).toEqual([
      'dspDecision=dsp_decision',
      'notification=notification',
      'rapidReview=rapid_review',
      'governance=governance',
      'dispute=dispute_resolution',
      'learning=learning_review',
      'fresh=dsp_decision',
    ]);

    // Every field id the catalogue's steps ask for, on these cases.
    const fromCatalogue = new Set<string>();
    for (const id of Object.values(cases)) {
      const record = (await findCase(h.db, id))!;
      const state = caseStateOf(ctx, record, await listCaseEvents(h.db, id));
      for (const step of LIFECYCLE_STEPS) {
        const fields = step.fields(state);
        for (const field of fields) fromCatalogue.add(field.id);
        if (step.available(state)) plans.push({ caseId: id, step: step.id, fields });
      }
    }
    fieldIds = knownFieldIds([...fromCatalogue]);
    baselineRoles = await rolesNow();
  }, 60_000);
  afterAll(async () => h?.close());

  describe('hand-written nasty submissions (first, on the cases as set up)', () => {
    const send = async (who: PersonKey, verb: string, data: unknown, where: 'channel' | 'personal' = 'channel') => {
      const r = await submit({ who, verb, data, where });
      await restoreRoles();
      expect(r.status).toBe(200);
      expect(r.isCard).toBe(true);
      expect(partialWrites(r)).toEqual([]);
      return r;
    };

    it('answers an unknown verb readably, writing nothing', async () => {
      const r = await send('manager', 'case.delete', { caseId: cases.dspDecision });
      expect(r.text).toContain('This button is not recognised');
      expect(r.rowsChanged).toBe(false);
    });

    it.each(INHERITED_NAMES)('answers the verb %j (a name every object inherits) as an unknown verb, writing nothing', async (verb) => {
      const r = await send('manager', verb, {
        caseId: cases.dspDecision,
        card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'echoed' }] },
      });
      expect(r.text).toContain('This button is not recognised');
      expect(r.text).not.toContain('echoed');
      expect(r.rowsChanged).toBe(false);
    });

    const DATA_VERBS = [
      'case.vote',
      'case.refresh',
      'case.steps',
      'case.stepForm',
      'case.step',
      'case.confirmNotification',
      'case.details',
      'referral.submit',
      'alert.ack',
      'meeting.pollVote',
      'triage.dismiss',
    ];

    it.each([
      ['a string', 'just text'],
      ['a number', 42],
      ['an array', ['a', 'b']],
      ['true', true],
    ])('refuses data that is %s (not an object) with a 400 before any handler, writing nothing', async (_what, data) => {
      for (const verb of DATA_VERBS) {
        const r = await submit({ who: 'manager', verb, data, where: 'channel' });
        await restoreRoles();
        expect(r.status, verb).toBe(400);
        expect(r.body, verb).toEqual(NOT_A_CARD_ACTION);
        expect(r.rowsChanged, verb).toBe(false);
      }
    });

    it('answers data that is null (which reaches the bot as no data) with a card, writing nothing', async () => {
      const failures: string[] = [];
      for (const verb of DATA_VERBS) {
        const r = await send('manager', verb, null);
        expect(r.audit).toEqual([]);
        expect(r.events).toEqual([]);
        if (r.failed) failures.push(verb);
      }
      expect(failures, 'verbs answering with a fault card').toEqual([]);
    });

    it('does not take an admin.save whose data is not the admin form as "remove everyone from every role"', async () => {
      for (const data of ['just text', null, {}, { caseId: cases.dspDecision }]) {
        const before = await rolesNow();
        const r = await submit({ who: 'manager', verb: 'admin.save', data, where: 'personal' });
        const after = await rolesNow();
        await restoreRoles();
        if (isRefusedData(data)) expect(r.body).toEqual(NOT_A_CARD_ACTION);
        else expect(r.isCard).toBe(true);
        expect(
          r.audit.map((a) => a.action),
          `admin.save with ${JSON.stringify(data)}`,
        ).toEqual([]);
        expect(after, `admin.save with ${JSON.stringify(data)}`).toBe(before);
      }
    });

    it('refuses a step for the wrong stage, writing nothing', async () => {
      const report = await send('manager', 'case.step', {
        caseId: cases.rapidReview,
        step: 'rr_report_submitted',
        submittedOn: '2026-11-19',
      });
      expect(report.text).toContain('is not open');
      const dispute = await send('referrer', 'case.stepForm', { caseId: cases.dspDecision, step: 'dispute_resolved' });
      expect(dispute.text).toContain('is not open now');
      const publish = await send('manager', 'case.step', {
        caseId: cases.notification,
        step: 'published',
        publishedOn: '2026-11-19',
        where: 'https://example.invalid',
      });
      expect(publish.text).toContain('is not open');
      for (const r of [report, dispute, publish]) expect(r.rowsChanged).toBe(false);
    });

    it('refuses a 20 KB rationale, in a vote and in a step, writing nothing', async () => {
      const huge = 'A fictional rationale. '.repeat(900); // ~20 KB
      expect(huge.length).toBeGreaterThan(20_000);
      const vote = await send('laDsp', 'case.vote', {
        caseId: cases.dspDecision,
        agency: 'local_authority',
        decision: 'notify',
        rationale: huge,
      });
      expect(vote.text).toContain('at most 4000 characters');
      const step = await send('referrer', 'case.step', {
        caseId: cases.dispute,
        step: 'dispute_resolved',
        outcome: 'notify',
        rationale: huge,
      });
      expect(step.text).toContain('at most 4000 characters');
      for (const r of [vote, step]) expect(r.rowsChanged).toBe(false);
    });

    it('refuses an impossible date (30 February), writing nothing', async () => {
      const notified = await send('notifier', 'case.confirmNotification', {
        caseId: cases.notification,
        notifiedOn: '2026-02-30',
        panelReference: 'CSPRP-TEST-X',
      });
      expect(notified.text).toContain('must be a date YYYY-MM-DD');
      const meeting = await send('manager', 'case.step', {
        caseId: cases.rapidReview,
        step: 'rr_meeting_date_set',
        meetingDate: '2026-02-30',
      });
      expect(meeting.text).toContain('must be a date YYYY-MM-DD');
      for (const r of [notified, meeting]) expect(r.rowsChanged).toBe(false);
    });

    it('answers an id that is not a case\'s with a readable card on every case verb, never the "something went wrong" card', async () => {
      const failures: string[] = [];
      for (const verb of [
        'case.refresh',
        'case.vote',
        'case.details',
        'case.steps',
        'case.stepForm',
        'case.step',
        'case.confirmNotification',
      ]) {
        // (A case's reference is not in this list: findCase accepts one, so the read is real, and audited.)
        for (const caseId of BAD_CASE_IDS.filter((id) => !id.startsWith('HSSCP-') && id.length < 100)) {
          const r = await send('manager', verb, {
            caseId,
            step: 'rr_panel_named',
            chair: 'Fictional Chair',
            members: 'A Member, Police',
            agency: 'police',
            decision: 'notify',
            rationale: 'Fictional.',
            notifiedOn: '2026-11-19',
            panelReference: 'X',
          });
          expect(r.rowsChanged).toBe(false);
          if (r.failed) failures.push(`${verb} ${JSON.stringify(caseId.slice(0, 40))}`);
        }
      }
      expect(failures, 'verb and case id answered with the "something went wrong" card').toEqual([]);
    });

    it('records a vote whose rationale reads like a card placeholder, and says so (not "Nothing was changed")', async () => {
      const caseId = (await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id;
      const r = await submit({
        who: 'laDsp',
        verb: 'case.vote',
        data: { caseId, agency: 'local_authority', decision: 'notify', rationale: '${myRationale}' },
        where: 'channel',
      });
      expect(r.status).toBe(200);
      expect(r.audit.map((a) => a.action)).toEqual(['vote_cast']);
      expect(r.failed, r.text.slice(0, 300)).toBe(false);
      expect(r.text).toMatch(/Your vote for [^"]+ is recorded\./);
      // And the case card still renders for that DSP afterwards.
      const refresh = await send('laDsp', 'case.refresh', { caseId });
      expect(refresh.failed, refresh.text.slice(0, 300)).toBe(false);
    });
  });

  it(`survives ${RUNS} fuzzed submissions (seed ${SEED}): never a 5xx, never a partial write, always a card`, async () => {
    console.log(
      `[fuzzCards] fast-check seed ${SEED}, ${RUNS} runs; ${fieldIds.length} field ids, ${plans.length} steps open at setup; cases ${JSON.stringify(cases)}`,
    );
    const answerProblems = new Map<string, { count: number; example: CardSubmission; said: string }>();
    const writes = new Map<string, number>();
    const verbs = new Map<string, number>();
    let runs = 0;
    const started = performance.now();

    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          cardSubmission({ people, caseIds: Object.values(cases), fieldIds }),
          plausibleSubmission({
            people,
            caseIds: Object.values(cases),
            plans,
            deciders: hsscp.notificationDecision.deciders,
            outcomes: hsscp.notificationDecision.outcomes.map((o) => o.id),
          }),
        ),
        async (s) => {
          runs += 1;
          const r = await submit(s);
          await restoreRoles();
          const verb = typeof s.verb === 'string' && s.verb.length <= 30 ? s.verb : '(random)';
          verbs.set(verb, (verbs.get(verb) ?? 0) + 1);
          for (const a of r.audit) writes.set(a.action, (writes.get(a.action) ?? 0) + 1);

          expect(r.status, `HTTP ${r.status} for ${JSON.stringify(s).slice(0, 300)}`).toBeLessThan(500);
          expect(partialWrites(r), JSON.stringify(s).slice(0, 500)).toEqual([]);
          // The answer's shape is tallied (with an example) and asserted after all runs, so one defect does not hide the rest.
          const problem = answerProblem(r, s.data);
          if (problem) {
            const key = `${problem} on verb ${JSON.stringify(verb)}`;
            const seen = answerProblems.get(key);
            answerProblems.set(key, {
              count: (seen?.count ?? 0) + 1,
              example: seen?.example ?? s,
              said: seen?.said ?? r.text.slice(0, 200),
            });
          }
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    const chain = await verifyAuditChain(h.db);
    console.log(
      [
        `[fuzzCards] ${runs} submissions in ${(performance.now() - started).toFixed(0)} ms; audit chain ${chain.ok ? 'ok' : 'BROKEN'} (${chain.entries} entries)`,
        `  verbs: ${[...verbs]
          .sort((a, b) => b[1] - a[1])
          .map(([v, n]) => `${v}:${n}`)
          .join(' ')}`,
        `  audited writes: ${[...writes].map(([a, n]) => `${a}:${n}`).join(' ') || 'none'}`,
        `  answers that were not a proper card: ${answerProblems.size === 0 ? 'none' : ''}`,
        ...[...answerProblems].map(([key, p]) => `    ${p.count}x ${key}\n      e.g. ${JSON.stringify(p.example).slice(0, 300)}`),
      ].join('\n'),
    );
    expect(chain.problems).toEqual([]);
    expect([...answerProblems.keys()]).toEqual([]);
  }, 120_000);

  it('keeps an unbroken audit chain through all of it', async () => {
    const chain = await verifyAuditChain(h.db);
    expect(chain.problems).toEqual([]);
  });
});
