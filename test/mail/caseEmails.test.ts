import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createGraphCalendar } from '../../src/adapters/graph/graphCalendar.ts';
import { createGraphMail } from '../../src/adapters/graph/graphMail.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { sampleReferral } from '../support/fixtures.ts';
import { graphClientFor, type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
import { assignTestDsps, CHANNEL, installInTestTeam, PEOPLE, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.ts';

describe('case emails from the partnership mailbox, through Microsoft Graph', () => {
  let h: TeamsHarness;
  let graph: GraphStandIn;
  let caseId: string;
  const threadText = () =>
    h.connector.requests
      .filter((r) => r.conversationId?.startsWith(CHANNEL.id))
      .map((r) => JSON.stringify(r.body))
      .join('\n');
  const mailCalls = () => graph.requests.filter((r) => r.path.endsWith('/sendMail'));
  const decide = async (decision: string, rationale = (agency: string) => `${agency}: reasons & more < less (fictional).`) => {
    for (const [who, agency] of [
      ['laDsp', 'local_authority'],
      ['policeDsp', 'police'],
      ['healthDsp', 'health'],
    ] as const) {
      await castVote(h.services.ctx, { caseId, agency, decision, rationale: rationale(agency) }, PEOPLE[who].aadObjectId);
    }
    // The decision's Teams posts (thread note, card refresh, notifier's card) go first, so each
    // test's send() below counts the email alone.
    await h.settle();
  };

  beforeAll(async () => {
    graph = await startGraphStandIn();
    const client = graphClientFor(graph);
    h = await startTeamsHarness({ calendar: createGraphCalendar(client), mail: createGraphMail(client) });
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
    await installInTestTeam(h);
  });
  afterAll(async () => {
    await h.close();
    await graph.close();
  });
  beforeEach(async () => {
    await h.db.query('TRUNCATE cases, outbox, alerts, meetings, reference_counters CASCADE');
    h.clock.set('2026-11-19T10:00:00Z');
    caseId = (await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id;
    await h.settle(); // the case's thread and DSP copies
    await h.services.send(); // the DSP call
    graph.reset();
    h.connector.reset();
  });

  it('sends the referral to the local authority\'s notifier on "notify", and records it', async () => {
    await decide('notify');
    expect(await h.services.send()).toMatchObject({ sent: 1 });
    const [message] = graph.mail;
    expect(message).toMatchObject({
      subject: 'Please notify the national Panel: HSSCP-2026-0001',
      toRecipients: [{ emailAddress: { address: 'notifier@partnership.example', name: 'Test Notifier Hartlepool' } }],
    });
    expect(JSON.stringify(message)).toContain('Alexandra Testcase'); // the notifier's role may see full details
    expect(mailCalls()[0]!.body.saveToSentItems).toBe(true);
    expect(mailCalls()[0]!.authorization).toBe('Bearer test-graph-token');
    const events = (await h.db.query<{ type: string }>(`SELECT type FROM case_events WHERE type = 'email_sent'`)).rows;
    expect(events).toHaveLength(1);
    expect((await h.db.query(`SELECT 1 FROM audit_log WHERE action = 'email_sent'`)).rows).toHaveLength(1);
    // The thread's note is its own outbox message, queued with the record of the email.
    const note = (
      await h.db.query<{ status: string }>(`SELECT status FROM outbox WHERE kind = 'thread_note' AND dedupe_key LIKE '%email:notifier%'`)
    ).rows;
    expect(note).toEqual([{ status: 'pending' }]);
    expect(threadText()).not.toContain('emailed the Hartlepool');
    await h.settle();
    expect(threadText()).toContain('HSSCP-2026-0001: emailed the Hartlepool Serious Incident Notifier');
    expect(threadText()).not.toContain('notifier@partnership.example');
  });

  it('tells the referrer the decision and each partner\'s reasons on "do not notify", with the initials only, escaped', async () => {
    await decide('do_not_notify');
    await h.services.send();
    const [message] = graph.mail as [{ subject: string; body: { content: string }; toRecipients: unknown[] }];
    expect(message.subject).toBe("Your referral HSSCP-2026-0001: the partnership's decision");
    expect(message.toRecipients).toEqual([{ emailAddress: { address: 'pat.example@school.example', name: 'Pat Example' } }]);
    expect(message.body.content).toContain('police: reasons &amp; more &lt; less (fictional).');
    expect(message.body.content).toContain('child: A.T.');
    expect(message.body.content).not.toContain('Alexandra');
  });

  it('rides out a 429 with Retry-After and sends once', async () => {
    graph.failNext('sendMail', { kind: 'status', status: 429, headers: { 'Retry-After': '1' } });
    await decide('learning_review');
    expect(await h.services.send()).toMatchObject({ sent: 1 });
    expect(mailCalls().map((r) => r.answered)).toEqual([429, 202]);
    expect(graph.mail).toHaveLength(1);
  });

  it('does not repeat an email whose answer was lost (it may have gone), and says so in the thread', async () => {
    graph.failNext('sendMail', { kind: 'hang_after_create' });
    await decide('do_not_notify');
    expect(await h.services.send()).toMatchObject({ failed: 1 });
    h.clock.advanceMs(3_600_000);
    await h.services.send();
    expect(mailCalls()).toHaveLength(1);
    expect(threadText()).toContain(
      'An email could not be sent: no answer from Microsoft Graph: the email may have been sent, so it was not repeated; check Sent Items',
    );
  }, 20_000);

  it('emails an alert to its owner once it has gone unacknowledged for 24 hours, but not to one who acknowledged it', async () => {
    h.clock.set('2026-11-23T00:00:00Z');
    await h.services.watch();
    await h.services.send();
    const { rows } = await h.db.query<{ id: string; recipient: string }>('SELECT id, recipient FROM alerts');
    const police = rows.find((a) => a.recipient === PEOPLE.policeDsp.aadObjectId)!;
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.policeDsp },
        tenantId: TEST_TENANT_ID,
        verb: 'alert.ack',
        data: { alertId: police.id },
        conversationType: 'personal',
      }),
    );
    expect(res.status).toBe(200);
    graph.reset();
    h.clock.set('2026-11-24T00:00:00Z');
    await h.services.send();
    const to = graph.mail.map((m) => (m.toRecipients as { emailAddress: { address: string } }[])[0]!.emailAddress.address).sort();
    expect(to).toEqual(['healthdsp@partnership.example', 'ladsp@partnership.example']);
    expect(String(graph.mail[0]!.subject)).toBe('Due soon: DSP decision: HSSCP-2026-0001');
  });
});
