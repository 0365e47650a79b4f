import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCaseMessages } from '../../src/adapters/store/caseMessageRepository.ts';
import { findCase } from '../../src/adapters/store/caseRepository.ts';
import { findPartnershipChannel } from '../../src/adapters/store/installationRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { composeServices, type Services } from '../../src/composition.ts';
import { readConfig } from '../../src/config.ts';
import { listenOnLoopback, type ListeningServer } from '../support/botframework/listen.ts';
import { fakeClock } from '../support/fixtures.ts';
import { openPgliteSchema } from '../support/testDatabases.ts';
import { createGraphCalendar } from '../../src/adapters/graph/graphCalendar.ts';
import { createGraphClient } from '../../src/adapters/graph/graphClient.ts';
import { startGraphStandIn, type GraphStandIn } from '../support/graph/graphStandIn.ts';
import { invokeAsUser, startPlayground, writePlaygroundConfig, type Playground } from './support/playground.ts';
import { CHROMIUM_PATH, chromiumLaunchOptions, open, type PlaygroundPage } from './support/playgroundPage.ts';

const SHOTS = 'test-results/e2e/dsp-decision';
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium && process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM_PATH} is missing: .ci/run installs Debian's chromium`);
if (!hasChromium) console.warn(`\n[e2e] SKIPPING the end-to-end tests: ${CHROMIUM_PATH} is missing (apt-get install chromium)\n`);

// Obviously fictional people. You (the browser) are the police DSP; the others act through the playground.
const oid = (n: string) => `00000000-0000-4000-8000-0000000e${n}`;
const YOU = { aadObjectId: oid('0001'), name: 'Casey Testpolice', givenName: 'Casey', surname: 'Testpolice', email: 'casey.testpolice@police.example' };
const LA_DSP = { aadObjectId: oid('0002'), name: 'Morgan Testcouncil', givenName: 'Morgan', surname: 'Testcouncil', email: 'morgan@council.example' };
const HEALTH_DSP = { aadObjectId: oid('0003'), name: 'Riley Testhealth', givenName: 'Riley', surname: 'Testhealth', email: 'riley@icb.example' };
const NOTIFIER = { aadObjectId: oid('0004'), name: 'Jordan Testnotifier', givenName: 'Jordan', surname: 'Testnotifier', email: 'jordan@council.example' };
const MANAGER = { aadObjectId: oid('0005'), name: 'Avery Testmanager', givenName: 'Avery', surname: 'Testmanager', email: 'avery@partnership.example' };
const CASES = { id: '19:e2e-cases@thread.tacv2', name: 'Cases' };
const CHILD = { name: 'Alexandra Testcase', dob: '2019-03-14', nhs: '943 476 5919', address: '1 Fictional Road, Nowhere' };

describe.skipIf(!hasChromium)('end to end: a referral and the DSPs\' decision, as people do it in the Agents Playground', () => {
  let services: Services;
  let bot: ListeningServer;
  let playground: Playground;
  let browser: Browser;
  let ui: PlaygroundPage;
  let graph: GraphStandIn;
  const clock = fakeClock('2026-11-19T10:00:00Z');

  beforeAll(async () => {
    const db = await openPgliteSchema();
    graph = await startGraphStandIn();
    const credential = { getToken: async () => ({ token: 'test-graph-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const calendar = createGraphCalendar(createGraphClient({ credential, baseUrl: graph.baseUrl, customHosts: new Set(['127.0.0.1']) }));
    services = await composeServices(readConfig({ LOG_LEVEL: 'silent', PLAYGROUND: 'off' }), { db, now: clock.now, calendar });
    for (const [scope, who] of [['police', YOU], ['local_authority', LA_DSP], ['health', HEALTH_DSP]] as const) {
      await assignRole(db, { role: 'dsp', scope, userId: who.aadObjectId });
    }
    await assignRole(db, { role: 'la_notifier', scope: 'Hartlepool', userId: NOTIFIER.aadObjectId });
    await assignRole(db, { role: 'business_manager', scope: '', userId: MANAGER.aadObjectId });
    bot = await listenOnLoopback(services.http);
    const configFile = join(mkdtempSync(join(tmpdir(), 'e2e-')), '.m365agentsplayground.yml');
    writePlaygroundConfig(configFile, { currentUser: YOU, users: [LA_DSP, HEALTH_DSP, NOTIFIER, MANAGER], team: { name: 'Test Partnership', channels: [CASES] } });
    playground = await startPlayground({ botEndpoint: `${bot.origin}/api/messages`, configFile });
    browser = await chromium.launch(chromiumLaunchOptions);
    ui = await open(await browser.newPage({ viewport: { width: 1400, height: 1000 } }), playground.url);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await services?.work.drain();
    await bot?.close();
    await services?.close();
    await graph?.close();
  });

  it('records the Cases channel when the bot is added to the team, and greets it once', async () => {
    await ui.selectConversation('channel', 'Cases');
    await ui.waitForText('Case cards will be posted in this channel');
    await services.work.drain();
    expect(await ui.visibleText('Case cards will be posted in this channel').count()).toBe(1);
    expect(await findPartnershipChannel(services.ctx.db)).toMatchObject({ channelId: CASES.id });
  }, 90_000);

  it('takes a referral typed into the form in a 1:1 chat, and gives a receipt', async () => {
    await ui.selectConversation('personal');
    await ui.sendMessage('new referral');
    const form = ui.lastCard();
    await ui.waitForText('Serious Incident Notification Request / Learning Request', { within: form });
    await ui.fillInput('Type of referral', 'Serious Incident Notification Request', { card: form });
    await ui.fillInput('Your name', 'Pat Example', { card: form });
    await ui.fillInput('Your agency', 'Example Primary School', { card: form });
    await ui.fillInput('Your email', 'pat.example@school.example', { card: form });
    await ui.fillInput("Child's full name", CHILD.name, { card: form });
    await ui.fillInput('Date of birth', CHILD.dob, { card: form });
    await ui.fillInput('Address', CHILD.address, { card: form });
    await ui.fillInput('NHS number', CHILD.nhs, { card: form });
    await ui.fillInput('Status at the time of the incident', 'Child in need', { card: form });
    await ui.fillInput("Child's local authority", 'Hartlepool', { card: form });
    await ui.fillInput('Date of incident or death', '2026-11-17', { card: form });
    await ui.fillInput('What happened', 'A fictional serious incident used in the end-to-end test.', { card: form });
    await ui.fillInput('Why you think this meets the criteria', 'Abuse or neglect is suspected (fictional).', { card: form });
    await ui.screenshot(`${SHOTS}/01-referral-form.png`);
    await ui.clickAction('Submit referral', { card: form });
    await ui.waitForText('Referral received');
    await ui.waitForText('HSSCP-2026-0001');
    await ui.screenshot(`${SHOTS}/02-receipt.png`);
    expect((await findCase(services.ctx.db, 'HSSCP-2026-0001'))?.summary.initials).toBe('A.T.');
  }, 90_000);

  it('starts a thread in the channel with the case card, showing initials and the clock, never the child\'s details', async () => {
    await services.work.drain();
    await ui.selectConversation('channel', 'Cases');
    const thread = ui.thread('HSSCP-2026-0001');
    await ui.waitForText('A.T., age 5-9', { within: thread });
    await ui.waitForText('DSP decision due by the end of Mon 23 Nov', { within: thread });
    const text = await thread.innerText();
    for (const identifier of [CHILD.name, 'Alexandra', 'Testcase', CHILD.dob, '14 Mar 2019', CHILD.nhs, CHILD.address]) expect(text).not.toContain(identifier);
    await ui.screenshot(`${SHOTS}/03-channel-case-card.png`);
  }, 90_000);

  it('books the DSP call in Outlook and says when in the thread', async () => {
    await services.send();
    const thread = ui.thread('HSSCP-2026-0001');
    await ui.waitForText('DSP teleconference: notification decision booked for Thu 19 Nov 2026, 10:30-11:30 (London)', { within: thread });
    await ui.waitForText('Join the Teams meeting', { within: thread });
    expect(await thread.getByRole('link', { name: 'Join the Teams meeting' }).getAttribute('href')).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const invite = [...graph.events.values()][0]!;
    expect((invite.attendees as { emailAddress: { address: string } }[]).map((a) => a.emailAddress.address).sort()).toEqual(
      [YOU.email, LA_DSP.email, HEALTH_DSP.email, MANAGER.email].sort());
    await thread.screenshot({ path: `${SHOTS}/dsp-call-booked.png` });
  }, 90_000);

  it('alerts the thread and you when the decision is due soon, and again when it is overdue', async () => {
    const thread = ui.thread('HSSCP-2026-0001');
    clock.set('2026-11-23T00:00:00Z'); // the start of Monday, the last working day (nothing sleeps: the clock moves)
    await services.watch();
    await services.send();
    await ui.waitForText('Due soon: DSP decision', { within: thread });
    clock.set('2026-11-24T00:00:00Z'); // Monday has ended
    await services.watch();
    await services.send();
    await ui.waitForText('Overdue: DSP decision', { within: thread });
    await ui.waitForText('OVERDUE: DSP decision was due by the end of Mon 23 Nov', { within: thread });
    await ui.screenshot(`${SHOTS}/04a-overdue-alert-in-thread.png`);
    await thread.screenshot({ path: `${SHOTS}/overdue-alert-thread.png` });
    await ui.selectConversation('personal');
    await ui.waitForText('Overdue: DSP decision');
    await ui.screenshot(`${SHOTS}/04b-overdue-alert-card.png`);
    await ui.selectConversation('channel', 'Cases');
  }, 90_000);

  it('lets you (the police DSP) vote on the card with a rationale', async () => {
    const card = ui.thread('HSSCP-2026-0001').locator('.ac-adaptiveCard').first();
    await ui.clickAction('Refresh', { card }); // the playground has no automatic per-user refresh
    await ui.waitForText('Your decision for Police', { within: card });
    await ui.fillInput('Decision', 'A notification will be made: form forwarded to the Local Authority Serious Incident Notifier', { card });
    await ui.fillInput(/Rationale/, 'Police: criteria for notification met (fictional).', { card });
    await ui.clickAction('Record my vote', { card });
    // Your answer card says "recorded"; then the shared card is updated for everyone (as Teams does),
    // so check what lasts: the card shows Police as voted, and your own view keeps your vote.
    await services.work.drain();
    await ui.waitForText('Voted', { within: card });
    await ui.screenshot(`${SHOTS}/04-your-vote.png`);
    await ui.clickAction('Refresh', { card });
    await ui.waitForText('Change my vote', { within: card });
    await card.screenshot({ path: `${SHOTS}/dsp-own-view.png` });
  }, 90_000);

  it('shows the collective outcome in the thread once the other two DSPs agree', async () => {
    const record = (await findCase(services.ctx.db, 'HSSCP-2026-0001'))!;
    const channelCard = (await listCaseMessages(services.ctx.db, record.id)).find((m) => m.purpose === 'channel_card')!;
    for (const [who, agency] of [[LA_DSP, 'local_authority'], [HEALTH_DSP, 'health']] as const) {
      const res = await invokeAsUser(playground, {
        userId: `29:${who.aadObjectId}`, conversationId: channelCard.conversationId, replyToId: channelCard.activityId,
        action: { verb: 'case.vote', title: 'Record my vote', data: { caseId: record.id, agency, decision: 'notify', rationale: `${agency}: agree (fictional).` } },
      });
      expect(res.status).toBe(200);
    }
    await services.work.drain();
    const thread = ui.thread('HSSCP-2026-0001');
    await ui.waitForText('Decision made', { within: thread });
    await ui.waitForText(/Hartlepool Serious Incident Notifier has been asked to notify the national Panel/, { within: thread });
    await ui.screenshot(`${SHOTS}/05-channel-outcome.png`);
    await thread.screenshot({ path: `${SHOTS}/channel-case-thread.png` });
    const text = await ui.page.locator('main, body').first().innerText();
    for (const identifier of [CHILD.name, CHILD.dob, CHILD.nhs, CHILD.address]) expect(text).not.toContain(identifier);
  }, 90_000);
});
