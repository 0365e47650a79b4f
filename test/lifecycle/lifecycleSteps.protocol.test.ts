import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findCase } from '../../src/adapters/store/caseRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { confirmNotification } from '../../src/app/lifecycle/confirmNotification.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { sampleReferral } from '../support/fixtures.ts';
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

/**
 * The lifecycle after the decision, as Teams sends it: Action.Execute invokes from the case card in
 * the channel and from the 1:1 information request card, to the real app with authentication on.
 */
describe('lifecycle steps through Teams', () => {
  let h: TeamsHarness;
  let caseId: string;
  let reference: string;
  const click = async (who: PersonKey, verb: string, data: Record<string, unknown>, where: 'channel' | 'personal' = 'channel') => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE[who] },
        tenantId: TEST_TENANT_ID,
        verb,
        data: { caseId, ...data },
        ...(where === 'channel' ? { conversationType: 'channel', team: TEAM, channel: CHANNEL } : { conversationType: 'personal' }),
      }),
    );
    expect(res.status).toBe(200);
    return JSON.stringify((res.body as { value: unknown }).value);
  };
  const eventCount = async () =>
    (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1', [caseId])).rows[0]!.n;

  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await assignRole(h.db, { role: 'agency_leads', scope: 'police', userId: PEOPLE.policeLead.aadObjectId });
    await installInTestTeam(h);
    h.clock.set('2026-11-19T10:00:00Z');
    const submitted = await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId);
    caseId = submitted.case.id;
    reference = submitted.case.reference;
    for (const [who, agency] of [
      ['laDsp', 'local_authority'],
      ['policeDsp', 'police'],
      ['healthDsp', 'health'],
    ] as const) {
      await castVote(h.services.ctx, { caseId, agency, decision: 'notify', rationale: 'Fictional.' }, PEOPLE[who].aadObjectId);
    }
    h.clock.set('2026-11-23T10:00:00Z'); // Monday
    await confirmNotification(
      h.services.ctx,
      { caseId, notifiedOn: '2026-11-23', panelReference: 'CSPRP-TEST-9' },
      PEOPLE.notifier.aadObjectId,
    );
    await h.settle();
    h.connector.requests.length = 0;
  });
  afterAll(async () => h.close());

  it('lists what the business manager can record now, and tells a DSP what comes next and whose it is', async () => {
    const manager = await click('manager', 'case.steps', {});
    expect(manager).toContain(`${reference}: what to record`);
    expect(manager).toContain('"verb":"case.stepForm"');
    expect(manager).toContain('Send the information requests');
    const dsp = await click('policeDsp', 'case.steps', {});
    expect(dsp).not.toContain('"verb":"case.stepForm"');
    expect(dsp).toContain(
      'Nothing here is for your role to record now. Next on this case: Name the rapid review panel and chair (HSSCP Business Manager (business unit))',
    );
  });

  it("opens a step's form for its role only", async () => {
    const form = await click('manager', 'case.stepForm', { step: 'info_requests_sent' });
    expect(form).toContain('"type":"Input.ChoiceSet"');
    expect(form).toContain('"verb":"case.step"');
    expect(await click('policeDsp', 'case.stepForm', { step: 'info_requests_sent' })).toContain(
      'Your role cannot record \\"Send the information requests\\"',
    );
  });

  it('answers bad input with the form again, what was typed kept, nothing written', async () => {
    const before = await eventCount();
    const card = await click('manager', 'case.step', {
      step: 'info_requests_sent',
      agencies: '',
      otherAgencies: 'Example Academy without an address',
    });
    expect(card).toContain(
      'Not recorded. Other involved agencies, by email: one per line, \\"Agency name, lead\'s email\\": line 1 must read',
    );
    expect(card).toContain('Example Academy without an address');
    expect(await eventCount()).toBe(before);
  });

  it('records the requests, says so in the thread, and sends the police lead a 1:1 card', async () => {
    const card = await click('manager', 'case.step', { step: 'info_requests_sent', agencies: 'police' });
    // HSSCP: returns within 5 working days of sending (Mon 23 Nov): Tue 24 ... Mon 30 Nov.
    expect(card).toContain('Recorded: Chronology / summary of involvement sent to Police; returns due by the end of Mon 30 Nov.');
    await h.settle();
    const thread = h.connector.requests
      .filter((r) => r.conversationId?.startsWith(CHANNEL.id))
      .map((r) => JSON.stringify(r.body))
      .join('\n');
    expect(thread).toContain(`${reference}: Chronology / summary of involvement sent to Police; returns due by the end of Mon 30 Nov.`);
    await h.services.send();
    const sent = h.cardsSent((r) => !r.conversationId?.startsWith(CHANNEL.id)).map((c) => JSON.stringify(c.card));
    expect(sent.filter((c) => c.includes(`Information request: ${reference}`))).toHaveLength(1);
  });

  it('lets the police lead answer from that card, once, and no one else', async () => {
    expect(
      await click(
        'outsider',
        'case.step',
        { step: 'info_return_recorded', itemId: 'police', kind: 'received', from: 'infoRequest' },
        'personal',
      ),
    ).toContain('Not recorded: your role cannot record');
    const card = await click(
      'policeLead',
      'case.step',
      { step: 'info_return_recorded', itemId: 'police', kind: 'nil', from: 'infoRequest' },
      'personal',
    );
    expect(card).toContain('Recorded: nil return from Police; every agency has now returned.');
    expect(card).toContain('Nil return recorded');
    expect(card).not.toContain('"title":"Nil return"');
    expect(
      await click(
        'policeLead',
        'case.step',
        { step: 'info_return_recorded', itemId: 'police', kind: 'nil', from: 'infoRequest' },
        'personal',
      ),
    ).toContain('Not recorded: \\"Record an agency\'s return\\" is not open');
  });

  it('refuses a step the case is not at, and records the rapid review outcome only from the chair or the business manager', async () => {
    expect(await click('manager', 'case.step', { step: 'rr_report_submitted', submittedOn: '2026-11-23' })).toContain(
      'Not recorded: \\"Record the report sent to the Panel\\" is not open',
    );
    expect(await click('policeDsp', 'case.stepForm', { step: 'rr_meeting_held' })).toContain('Your role cannot record');
    expect((await findCase(h.db, caseId))?.stage).toBe('rapid_review');
  });

  it('shows what comes next on the shared case card', async () => {
    const card = await click('outsider', 'case.refresh', {});
    expect(card).toContain('"title":"Next"');
    expect(card).toContain('Record a step');
  });
});
