import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { findCase, listCases } from '../../src/adapters/store/caseRepository.ts';
import { findPartnershipChannel } from '../../src/adapters/store/installationRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { listVotes } from '../../src/adapters/store/voteRepository.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import {
  adaptiveCardExecute,
  adaptiveCardRefresh,
  botAddedToTeam,
  botRemovedFromTeam,
  personalMessage,
} from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM } from '../support/fixtures.ts';
import { CHANNEL, PEOPLE, type PersonKey, startTeamsHarness, TEAM, type TeamsHarness } from '../support/teamsHarness.ts';

const FORM = REFERRAL_FORM;
const CHILD_IDENTIFIERS = ['Alexandra', 'Testcase', '2019-03-14', '14 Mar 2019', '9434765919', '943 476 5919', 'Fictional Road'];

type InvokeBody = { statusCode: number; type: string; value: Record<string, unknown> };

describe('the DSP decision in Teams, over the Bot Framework protocol with authentication on', () => {
  let h: TeamsHarness;
  let caseId: string;
  let threadRootId: string;

  const as = (who: PersonKey) => ({ ...PEOPLE[who] });
  const invoke = async (
    who: PersonKey,
    verb: string,
    data: Record<string, unknown>,
    conversationType: 'personal' | 'channel' = 'channel',
  ) => {
    const activity = adaptiveCardExecute({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: as(who),
      tenantId: TEST_TENANT_ID,
      verb,
      data,
      conversationType,
      team: TEAM,
      channel: CHANNEL,
      ...(conversationType === 'channel' && threadRootId ? { threadRootId } : {}),
    });
    const res = await h.send(activity);
    expect(res.status).toBe(200);
    return res.body as InvokeBody;
  };
  const cardText = (body: InvokeBody) => JSON.stringify(body.value);

  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignRole(h.db, { role: 'dsp', scope: 'local_authority', userId: PEOPLE.laDsp.aadObjectId });
    await assignRole(h.db, { role: 'dsp', scope: 'police', userId: PEOPLE.policeDsp.aadObjectId });
    await assignRole(h.db, { role: 'dsp', scope: 'health', userId: PEOPLE.healthDsp.aadObjectId });
    await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
  });
  afterAll(async () => h.close());

  it('records the team and the channel it was added from when the bot is added, and says hello there', async () => {
    const res = await h.send(
      botAddedToTeam({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: as('manager'),
        tenantId: TEST_TENANT_ID,
        team: TEAM,
        channel: CHANNEL,
      }),
    );
    expect(res.status).toBe(200);
    expect(await findPartnershipChannel(h.db)).toMatchObject({
      teamId: TEAM.id,
      channelId: CHANNEL.id,
      serviceUrl: h.connector.serviceUrl,
      tenantId: TEST_TENANT_ID,
    });
    expect(h.cardsSent().map((c) => JSON.stringify(c.card))).toContainEqual(
      expect.stringContaining('Case cards will be posted in this channel'),
    );
  });

  it('shows the referral form when someone types "new referral" in a 1:1 chat', async () => {
    h.connector.reset();
    const res = await h.send(
      personalMessage('new referral', {
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: as('referrer'),
        tenantId: TEST_TENANT_ID,
      }),
    );
    expect(res.status).toBe(200);
    const [form] = h.cardsSent();
    expect(JSON.stringify(form?.card)).toContain('"verb":"referral.submit"');
    expect(JSON.stringify(form?.card)).toContain('"isRequired":true');
  });

  it("sends the form back with the problems in the form's own words, and writes nothing", async () => {
    const body = await invoke('referrer', 'referral.submit', { ...FORM, child_dateOfBirth: '', child_nhsNumber: '1234567890' }, 'personal');
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(body)).toContain('Date of birth: is required');
    expect(cardText(body)).toContain('NHS number: must be a valid 10-digit NHS number');
    expect(cardText(body)).toContain('Alexandra Testcase'); // what they typed is kept, in their own 1:1 chat
    expect(await listCases(h.db)).toEqual([]);
  });

  it('opens the case on submit: a receipt for the referrer, a thread with the case card in the channel, and a 1:1 copy for each DSP', async () => {
    h.connector.reset();
    const body = await invoke('referrer', 'referral.submit', FORM, 'personal');
    expect(cardText(body)).toContain('HSSCP-2026-0001');
    expect(cardText(body)).toContain('DSP decision due by the end of Mon 23 Nov');
    await h.settle();

    const record = (await findCase(h.db, 'HSSCP-2026-0001'))!;
    caseId = record.id;
    const thread = h.connector.requests.find((r) => r.route === 'createConversation' && JSON.stringify(r.body).includes(CHANNEL.id));
    expect(thread?.authorized).toBe(true);
    const channelCard = h.cardsSent((r) => r === thread)[0]!.card;
    const shared = JSON.stringify(channelCard);
    expect(shared).toContain('HSSCP-2026-0001');
    expect(shared).toContain('A.T., age 5-9');
    expect(shared).toContain('Example Primary School');
    for (const identifier of CHILD_IDENTIFIERS) expect(shared).not.toContain(identifier);
    expect((channelCard.refresh as { userIds: string[] }).userIds.sort()).toEqual(
      [PEOPLE.healthDsp.id, PEOPLE.laDsp.id, PEOPLE.policeDsp.id].sort(),
    );
    threadRootId = /;messageid=(.+)$/.exec(JSON.stringify(h.connector.requests.find((r) => r === thread)?.status))?.[1] ?? '';

    const copies = h.connector.requests.filter((r) => r.route === 'createConversation' && !JSON.stringify(r.body).includes(CHANNEL.id));
    expect(copies.map((r) => (r.body as { members: { id: string }[] }).members[0]!.id).sort()).toEqual(
      [PEOPLE.healthDsp.id, PEOPLE.laDsp.id, PEOPLE.policeDsp.id].sort(),
    );
  });

  it('gives a DSP their own view on refresh, and everyone else the shared card', async () => {
    const activity = adaptiveCardRefresh({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: as('policeDsp'),
      tenantId: TEST_TENANT_ID,
      verb: 'case.refresh',
      data: { caseId },
      conversationType: 'channel',
      team: TEAM,
      channel: CHANNEL,
    });
    const mine = (await h.send(activity)).body as InvokeBody;
    expect(cardText(mine)).toContain('Record my vote');
    const theirs = await invoke('outsider', 'case.refresh', { caseId });
    expect(cardText(theirs)).not.toContain('Record my vote');
    expect(cardText(theirs)).toContain('Waiting');
  });

  it('refuses a vote from someone who is not a DSP, readably, storing nothing', async () => {
    const body = await invoke('outsider', 'case.vote', { caseId, agency: 'police', decision: 'notify', rationale: 'I am not a DSP.' });
    expect(cardText(body)).toContain('Your vote was not recorded: only the police DSP can vote for that agency');
    expect(await listVotes(h.db, caseId)).toEqual([]);
  });

  it('refuses a DSP voting for another agency', async () => {
    const body = await invoke('healthDsp', 'case.vote', { caseId, agency: 'police', decision: 'notify', rationale: 'Wrong agency.' });
    expect(cardText(body)).toContain('only the police DSP');
    expect(await listVotes(h.db, caseId)).toEqual([]);
  });

  it.each([
    ['a missing rationale', '', 'Rationale: is required'],
    ['an oversized rationale', 'x'.repeat(4001), 'at most 4000 characters'],
    ['HTML in the rationale', 'See <script>alert(1)</script>', 'HTML tags are not accepted'],
  ])('answers %s with a readable card and stores nothing', async (_what, rationale, message) => {
    const body = await invoke('policeDsp', 'case.vote', { caseId, agency: 'police', decision: 'notify', rationale });
    expect(cardText(body)).toContain(message);
    expect(await listVotes(h.db, caseId)).toEqual([]);
  });

  it('answers an unknown verb readably', async () => {
    const body = await invoke('policeDsp', 'case.delete', { caseId });
    expect(body.statusCode).toBe(200);
    expect(cardText(body)).toContain('This button is not recognised');
  });

  it("records a vote, answers with the voter's own view, and updates the shared card for everyone", async () => {
    h.connector.reset();
    const body = await invoke('policeDsp', 'case.vote', {
      caseId,
      agency: 'police',
      decision: 'notify',
      rationale: 'Police: *criteria met* (fictional).',
    });
    expect(cardText(body)).toContain('Your vote for Police is recorded.');
    expect(cardText(body)).toContain('Change my vote');
    await h.settle();
    const updates = h.cardsSent((r) => r.route === 'updateActivity');
    expect(updates.length).toBe(4); // the channel card and the three DSP copies
    const shared = updates.find((u) => u.request.conversationId?.startsWith(CHANNEL.id))!;
    expect(JSON.stringify(shared.card)).toContain('Voted');
    expect(JSON.stringify(shared.card)).not.toContain('criteria met');
  });

  it('counts a double click as one vote, and lets the DSP change it before the decision closes', async () => {
    const again = await invoke('policeDsp', 'case.vote', {
      caseId,
      agency: 'police',
      decision: 'notify',
      rationale: 'Police: *criteria met* (fictional).',
    });
    expect(cardText(again)).toContain('already recorded');
    const changed = await invoke('policeDsp', 'case.vote', {
      caseId,
      agency: 'police',
      decision: 'notify',
      rationale: 'Police: criteria met, revised wording (fictional).',
    });
    expect(cardText(changed)).toContain('Your vote for Police is changed.');
    expect((await listVotes(h.db, caseId)).map((v) => [v.agency, v.rationale])).toEqual([
      ['police', 'Police: criteria met, revised wording (fictional).'],
    ]);
  });

  it('makes the collective decision on the third agreeing vote: outcome in the thread, notifier told 1:1', async () => {
    await invoke(
      'laDsp',
      'case.vote',
      { caseId, agency: 'local_authority', decision: 'notify', rationale: 'LA agrees (fictional).' },
      'personal',
    );
    h.connector.reset();
    const last = await invoke('healthDsp', 'case.vote', {
      caseId,
      agency: 'health',
      decision: 'notify',
      rationale: 'Health agrees (fictional).',
    });
    expect(cardText(last)).toContain('All partners have voted');
    await h.settle();
    expect((await findCase(h.db, caseId))?.stage).toBe('notification');
    const outcome = h.connector.requests.find(
      (r) => (r.route === 'sendToConversation' || r.route === 'replyToActivity') && JSON.stringify(r.body).includes('decision made'),
    );
    expect(outcome?.conversationId).toContain(CHANNEL.id);
    expect(JSON.stringify(outcome?.body)).toContain('Hartlepool Serious Incident Notifier has been asked to notify the national Panel');
    const notifierChat = h.connector.requests.find(
      (r) => r.route === 'createConversation' && JSON.stringify(r.body).includes(PEOPLE.notifier.id),
    );
    expect(notifierChat).toBeDefined();
    const notifierCards = h.cardsSent((r) => JSON.stringify(r.body).includes('Please notify the national Panel'));
    expect(notifierCards).toHaveLength(1);
    expect(notifierCards[0]!.request.conversationId).not.toMatch(/^19:/);
    // The LA knew from receipt on Thursday 19 Nov: 5 working days → Thursday 26 Nov.
    expect(JSON.stringify(notifierCards[0]!.card)).toContain('Panel notification due by the end of Thu 26 Nov');
    const closed = h.cardsSent((r) => r.route === 'updateActivity' && !!r.conversationId?.startsWith(CHANNEL.id)).at(-1)!;
    expect((closed.card.refresh as { userIds: string[] }).userIds).toEqual([]);
  });

  it('answers a stale card (the decision is made) readably, changing nothing', async () => {
    const body = await invoke('healthDsp', 'case.vote', {
      caseId,
      agency: 'health',
      decision: 'do_not_notify',
      rationale: 'Too late (fictional).',
    });
    expect(cardText(body)).toContain('has already been made');
    expect((await listVotes(h.db, caseId)).find((v) => v.agency === 'health')?.decision).toBe('notify');
  });

  it('sends full details only 1:1, and only to a role the profile allows', async () => {
    h.connector.reset();
    const inChannel = await invoke('manager', 'case.details', { caseId });
    expect(cardText(inChannel)).toContain('sent to you in a 1:1 chat');
    for (const identifier of CHILD_IDENTIFIERS) expect(cardText(inChannel)).not.toContain(identifier);
    await h.settle();
    expect(h.connector.requests.some((r) => r.route === 'createConversation' && JSON.stringify(r.body).includes(PEOPLE.manager.id))).toBe(
      true,
    );
    const withDetails = h.cardsSent((r) => JSON.stringify(r.body).includes('Alexandra Testcase'));
    expect(withDetails).toHaveLength(1);
    expect(withDetails[0]!.request.conversationId).not.toMatch(/^19:/); // a 1:1 chat, never a channel
    const refused = await invoke('outsider', 'case.details', { caseId }, 'personal');
    expect(cardText(refused)).toContain('not available to your role');
    expect(cardText(refused)).not.toContain('Alexandra');
  });

  it('refuses actions from people of a tenant it does not serve', async () => {
    const activity = adaptiveCardExecute({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: as('policeDsp'),
      tenantId: '00000000-0000-4000-8000-0000000bad00',
      verb: 'case.refresh',
      data: { caseId },
      conversationType: 'personal',
    });
    const res = await h.send(activity);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: "this bot serves only its partnership's organisations" });
  });

  it('keeps an unbroken audit chain through all of it', async () => {
    const result = await verifyAuditChain(h.db);
    expect(result.ok).toBe(true);
  });

  it('stops posting to the team once the bot is removed', async () => {
    const res = await h.send(
      botRemovedFromTeam({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: as('manager'),
        tenantId: TEST_TENANT_ID,
        team: TEAM,
        channel: CHANNEL,
      }),
    );
    expect(res.status).toBe(200);
    expect(await findPartnershipChannel(h.db)).toBeUndefined();
    h.connector.reset();
    const body = await invoke('referrer', 'referral.submit', FORM, 'personal');
    expect(cardText(body)).toContain('HSSCP-2026-0002');
    await h.settle();
    expect(h.connector.requests.filter((r) => r.route === 'createConversation')).toEqual([]);
  });
});
