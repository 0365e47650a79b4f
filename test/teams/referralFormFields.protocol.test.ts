import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createGraphMailbox } from '../../src/adapters/graph/graphMailbox.ts';
import { findCase, listCases, readReferralDetails } from '../../src/adapters/store/caseRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute, personalMessage } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM } from '../support/fixtures.ts';
import { graphClientFor, type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
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
 * The referral form's fields from Darlington's form (004 Appendix 1) and Stockport's escalation
 * pathway (003 Appendix A 1.2 C), issue #15 item 12, as Teams sends them to the real app on Stockport's
 * profile. The harness's clock is Thu 19 Nov 2026, 10:00 GMT. Every new field carries a distinctive
 * fictional value: none may reach the channel, the audit log or an error, and the full-details card
 * sent 1:1 to the business manager shows each.
 */
const NEW_FIELDS = {
  incident_date: '2026-11-05',
  incident_diedOn: '2026-11-09',
  incident_causeOfDeath: 'Quillonwort poisoning',
  incident_staffConduct: 'yes',
  incident_coroner: 'unsure',
  incident_coronerDetails: 'Coroner Zebedee Marchbanks',
  incident_mainCause: 'other',
  incident_mainCauseOther: 'Tumblewick mishap',
  incident_characteristics: 'parental_mental_health,other',
  incident_characteristicsOther: 'Fernglass circumstance',
  plans_childProtection_startedOn: '2024-02-29',
  plans_childProtection_endedOn: '2025-07-07',
  plans_childInNeed_startedOn: '2025-08-11',
  narrative_actionsSinceIncident: 'Sibling Orlaith moved to Aunt Perpetua',
  referrer_authorisingOfficerComment: 'Approved by Officer Wendeline Crake',
  escalation_sought: 'true',
  escalation_resolutionAttempts: 'Three Brackenmoor mediation meetings',
};
const FULL = { ...REFERRAL_FORM, child_localAuthority: 'Stockport', ...NEW_FIELDS };
// What the new fields put in the record, as typed or shown: none may leave the 1:1 details card.
const DISTINCTIVE = [
  'Quillonwort',
  'Zebedee',
  'Marchbanks',
  'Tumblewick',
  'Fernglass',
  'Orlaith',
  'Perpetua',
  'Wendeline',
  'Crake',
  'Brackenmoor',
  '2024-02-29',
  'Thu 29 Feb 2024',
  '2025-07-07',
  'Mon 7 Jul 2025',
  '2025-08-11',
  'Mon 11 Aug 2025',
  '2026-11-09',
  'Mon 9 Nov 2026',
  'Parental mental health',
  'parental_mental_health',
  'Unsure',
];

describe("Stockport's referral form with every field, through Teams", () => {
  let h: TeamsHarness;
  let graph: GraphStandIn;
  const invoke = async (
    who: PersonKey,
    verb: string,
    data: Record<string, unknown>,
    conversationType: 'personal' | 'channel' = 'personal',
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
    return JSON.stringify((res.body as { value: unknown }).value);
  };
  const auditText = async () => JSON.stringify((await h.db.query('SELECT * FROM audit_log')).rows);

  beforeAll(async () => {
    graph = await startGraphStandIn();
    h = await startTeamsHarness({ env: { PROFILE: 'stockport' }, mailbox: createGraphMailbox(graphClientFor(graph)) });
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await installInTestTeam(h);
  });
  afterAll(async () => {
    await h.close();
    await graph.close();
  });

  it("offers the new inputs, with Stockport's escalation pathway", async () => {
    h.connector.reset();
    await h.send(
      personalMessage('new referral', {
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.referrer },
        tenantId: TEST_TENANT_ID,
      }),
    );
    const form = JSON.stringify(h.cardsSent()[0]?.card);
    for (const id of Object.keys(NEW_FIELDS)) expect(form, id).toContain(`"id":"${id}"`);
    expect(form).toContain('Case escalation');
  });

  it('refuses a death after today and an incident after the death, in words, with every field kept as typed, and writes nothing', async () => {
    const card = await invoke('referrer', 'referral.submit', { ...FULL, incident_diedOn: '2026-11-20' });
    expect(card).toContain('Date of death: must not be in the future');
    for (const [id, value] of Object.entries(NEW_FIELDS)) {
      if (id === 'incident_diedOn') continue;
      expect(card, id).toMatch(new RegExp(`"id":"${id}"[^}]*"value":"${value}"|"value":"${value}"[^}]*"id":"${id}"`));
    }
    const before = await invoke('referrer', 'referral.submit', { ...FULL, incident_date: '2026-11-10' });
    expect(before).toContain('Date of incident or death: must not be after the date of death (Mon 9 Nov 2026)');
    const plan = await invoke('referrer', 'referral.submit', { ...FULL, plans_childProtection_endedOn: '2024-01-31' });
    expect(plan).toContain('Child protection plan: date it ended: must not be before the plan started (Thu 29 Feb 2024)');
    const nul = await invoke('referrer', 'referral.submit', { ...FULL, incident_causeOfDeath: 'Quillonwort\u0000' });
    expect(nul).toContain('Cause of death: contains a NUL character (U+0000), which cannot be stored');
    expect(await listCases(h.db)).toEqual([]);
    expect(await auditText()).not.toContain('Quillonwort');
  });

  it('opens the case; no new field reaches the channel or the audit log, and the full-details card shows each', async () => {
    h.connector.reset();
    const receipt = await invoke('referrer', 'referral.submit', FULL);
    expect(receipt).toContain('SSCP-2026-0001');
    await h.settle();
    const record = (await findCase(h.db, 'SSCP-2026-0001'))!;
    const stored = (await readReferralDetails(h.db, record.id))!;
    // 004 Appendix 1: the incident on Thu 5 Nov, the death on Mon 9 Nov: a death, and the incident date stays the incident's.
    expect(stored.incident).toMatchObject({
      date: '2026-11-05',
      diedOn: '2026-11-09',
      isDeath: true,
      coroner: 'unsure',
      staffConduct: true,
    });
    expect(stored.escalation).toEqual({ sought: true, resolutionAttempts: 'Three Brackenmoor mediation meetings' });
    const facts = (
      await h.db.query<{ data: unknown }>(`SELECT data FROM case_events WHERE case_id = $1 AND type = 'referral_received'`, [record.id])
    ).rows[0]!.data;
    expect(facts).toMatchObject({ incidentOn: '2026-11-05', diedOn: '2026-11-09', isDeath: true });

    const details = await invoke('manager', 'case.details', { caseId: record.id }, 'channel');
    expect(details).toContain('sent to you in a 1:1 chat');
    await h.settle();
    const channelActivities = h.connector.requests.filter(
      (r) =>
        (r.conversationId ?? '').startsWith(CHANNEL.id) ||
        (r.route === 'createConversation' && (JSON.stringify(r.body) ?? '').includes(CHANNEL.id)),
    );
    expect(channelActivities.length).toBeGreaterThan(0);
    const detailCards = h.cardsSent((r) => (JSON.stringify(r.body) ?? '').includes('full referral details'));
    expect(detailCards).toHaveLength(1);
    expect(detailCards[0]!.request.conversationId).not.toMatch(/^19:/);
    // Everything else the Bot Connector stand-in recorded: the channel thread, its cards and their updates.
    const others = h.connector.requests.filter((r) => r !== detailCards[0]!.request);
    for (const request of [...channelActivities, ...others]) {
      const json = JSON.stringify(request.body) ?? '';
      for (const value of DISTINCTIVE) expect(json, `${request.route}: ${value}`).not.toContain(value);
    }
    expect(details).not.toContain('Quillonwort');
    const audit = await auditText();
    for (const value of DISTINCTIVE) expect(audit, value).not.toContain(value);

    const shown = JSON.stringify(detailCards[0]!.card);
    for (const value of [
      'Thu 5 Nov 2026',
      'Mon 9 Nov 2026',
      'Quillonwort poisoning',
      '"title":"Conduct of a staff member","value":"Yes"',
      '"title":"Coroner involved","value":"Unsure"',
      'Coroner Zebedee Marchbanks',
      'other: Tumblewick mishap',
      'Parental mental health; other: Fernglass circumstance',
      'from Thu 29 Feb 2024 to Mon 7 Jul 2025',
      'from Mon 11 Aug 2025',
      'Sibling Orlaith moved to Aunt Perpetua',
      'Approved by Officer Wendeline Crake',
      'Three Brackenmoor mediation meetings',
    ])
      expect(shown, value).toContain(value);
  });

  it('an emailed referral: the triage card opens the same form, and completing it with every field opens the case', async () => {
    graph.deliverEmail({
      id: 'msg-fields-1',
      subject: 'Referral (fictional)',
      from: 'pat.example@school.example',
      name: 'Pat Example',
      receivedAt: '2026-11-18T09:00:00Z',
    });
    expect(await h.services.pollMailbox()).toEqual({ newDrafts: 1 });
    const draftId = (await h.db.query<{ id: string }>(`SELECT id FROM email_referrals WHERE message_id = 'msg-fields-1'`)).rows[0]!.id;
    const form = await invoke('manager', 'triage.referral', { emailReferralId: draftId });
    expect(form).toContain('"verb":"referral.submit"');
    for (const id of Object.keys(NEW_FIELDS)) expect(form, id).toContain(`"id":"${id}"`);
    const receipt = await invoke('manager', 'referral.submit', { ...FULL, emailReferralId: draftId });
    expect(receipt).toContain('SSCP-2026-0002');
    const record = (await findCase(h.db, 'SSCP-2026-0002'))!;
    expect(record.receivedAt.toISOString()).toBe('2026-11-18T09:00:00.000Z');
    expect((await readReferralDetails(h.db, record.id))!.plans).toEqual({
      childProtection: { startedOn: '2024-02-29', endedOn: '2025-07-07' },
      childInNeed: { startedOn: '2025-08-11' },
    });
  });
});

describe('a partnership whose form has no escalation pathway (HSSCP)', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
    await installInTestTeam(h);
  });
  afterAll(async () => h.close());

  it('does not offer it, and refuses an escalation sent anyway', async () => {
    h.connector.reset();
    await h.send(
      personalMessage('new referral', {
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.referrer },
        tenantId: TEST_TENANT_ID,
      }),
    );
    const form = JSON.stringify(h.cardsSent()[0]?.card);
    expect(form).toContain('"id":"incident_diedOn"');
    expect(form).not.toContain('escalation_sought');
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.referrer },
        tenantId: TEST_TENANT_ID,
        verb: 'referral.submit',
        data: { ...REFERRAL_FORM, escalation_sought: 'true', escalation_resolutionAttempts: 'Fictional.' },
        conversationType: 'personal',
      }),
    );
    expect(JSON.stringify(res.body)).toContain("is not a pathway on this partnership's referral form");
    expect(await listCases(h.db)).toEqual([]);
  });
});
