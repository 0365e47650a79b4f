import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createGraphMailbox } from '../../src/adapters/graph/graphMailbox.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { graphClientFor, type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
import { installInTestTeam, PEOPLE, type PersonKey, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.ts';

describe('referrals by email to the partnership mailbox', () => {
  let h: TeamsHarness;
  let graph: GraphStandIn;
  const invoke = async (who: PersonKey, verb: string, data: Record<string, unknown>) => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE[who] },
        tenantId: TEST_TENANT_ID,
        verb,
        data,
        conversationType: 'personal',
      }),
    );
    return JSON.stringify((res.body as { value: unknown }).value);
  };
  const drafts = async () =>
    (
      await h.db.query<{ id: string; message_id: string; status: string; case_id: string | null }>(
        'SELECT id, message_id, status, case_id FROM email_referrals ORDER BY created_at, message_id',
      )
    ).rows;

  beforeAll(async () => {
    graph = await startGraphStandIn();
    h = await startTeamsHarness({ mailbox: createGraphMailbox(graphClientFor(graph)) });
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await installInTestTeam(h);
  });
  afterAll(async () => {
    await h.close();
    await graph.close();
  });

  it('turns each new email into a draft with its attachments, and sends the business manager a triage card, once', async () => {
    graph.deliverEmail({
      id: 'msg-1',
      subject: 'Serious incident referral',
      from: 'pat.example@school.example',
      name: 'Pat Example',
      preview: 'Please find the form attached.',
      attachments: [
        {
          name: 'referral-form.docx',
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          content: 'fictional form',
        },
      ],
    });
    graph.deliverEmail({ id: 'msg-2', subject: 'Newsletter', from: 'news@example.org' });
    graph.deliverEmail({ id: 'msg-3', subject: 'Learning request', from: 'sam@health.example' });
    expect(await h.services.pollMailbox()).toEqual({ newDrafts: 3 });
    expect(graph.requests.filter((r) => r.path.endsWith('/delta')).map((r) => r.answered)).toEqual([200, 200]); // two pages, then a deltaLink
    expect((await drafts()).map((d) => [d.message_id, d.status])).toEqual([
      ['msg-1', 'draft'],
      ['msg-2', 'draft'],
      ['msg-3', 'draft'],
    ]);
    const files = await h.db.query<{ name: string; content: Buffer }>('SELECT name, content FROM email_attachments');
    expect(files.rows.map((f) => [f.name, Buffer.from(f.content).toString()])).toEqual([['referral-form.docx', 'fictional form']]);
    expect(await h.services.send()).toMatchObject({ sent: 3 });
    const cards = h.cardsSent((r) => (JSON.stringify(r.body) ?? '').includes('Email to the partnership mailbox'));
    expect(cards).toHaveLength(3);
    expect(cards.every((c) => !c.request.conversationId?.startsWith('19:'))).toBe(true); // 1:1 only

    graph.requests.length = 0;
    expect(await h.services.pollMailbox()).toEqual({ newDrafts: 0 });
    expect(graph.requests.filter((r) => r.path.endsWith('/delta'))).toHaveLength(1); // from the stored deltaLink
    graph.deliverEmail({ id: 'msg-4', subject: 'Another referral', from: 'jo@police.example' });
    expect(await h.services.pollMailbox()).toEqual({ newDrafts: 1 });
  });

  it('lets only the business manager triage: "Not a referral" closes the draft, audited', async () => {
    const [, newsletter] = await drafts();
    expect(await invoke('outsider', 'triage.dismiss', { emailReferralId: newsletter!.id })).toContain('Only the business manager triages');
    expect(await invoke('manager', 'triage.dismiss', { emailReferralId: newsletter!.id })).toContain('Marked as not a referral.');
    expect(await invoke('manager', 'triage.dismiss', { emailReferralId: newsletter!.id })).toContain('already been triaged');
    expect((await h.db.query(`SELECT actor FROM audit_log WHERE action = 'email_not_referral'`)).rows).toEqual([
      { actor: PEOPLE.manager.aadObjectId },
    ]);
  });

  it('"Complete as a referral" opens the form with the sender filled in, and the submitted case is linked to the email', async () => {
    const [first] = await drafts();
    const form = await invoke('manager', 'triage.referral', { emailReferralId: first!.id });
    expect(form).toContain('"value":"pat.example@school.example"');
    expect(form).toContain(`"emailReferralId":"${first!.id}"`);
    const receipt = await invoke('manager', 'referral.submit', {
      emailReferralId: first!.id,
      type: 'serious_incident_notification',
      referrer_name: 'Pat Example',
      referrer_agency: 'Example Primary School',
      referrer_email: 'pat.example@school.example',
      referredOn: '2026-11-19',
      child_name: 'Alexandra Testcase',
      child_dateOfBirth: '2019-03-14',
      child_statusAtTime: 'child_in_need',
      child_localAuthority: 'Hartlepool',
      incident_date: '2026-11-17',
      narrative_whatHappened: 'From the emailed form (fictional).',
      narrative_whyCriteriaMet: 'Fictional.',
    });
    expect(receipt).toContain('Referral received');
    const converted = (await drafts()).find((d) => d.id === first!.id)!;
    expect(converted.status).toBe('converted');
    expect(converted.case_id).not.toBeNull();
    expect((await h.db.query(`SELECT 1 FROM audit_log WHERE action = 'email_converted'`)).rows).toHaveLength(1);
  });
});
