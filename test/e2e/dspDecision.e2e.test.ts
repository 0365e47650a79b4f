import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type Browser, chromium, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createGraphCalendar } from '../../src/adapters/graph/graphCalendar.ts';
import { createGraphClient } from '../../src/adapters/graph/graphClient.ts';
import { listCaseMessages } from '../../src/adapters/store/caseMessageRepository.ts';
import { findCase } from '../../src/adapters/store/caseRepository.ts';
import { listClocks } from '../../src/adapters/store/clockRepository.ts';
import { findPartnershipChannel } from '../../src/adapters/store/installationRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { composeServices, type Services } from '../../src/composition.ts';
import { readConfig } from '../../src/config.ts';
import { type ListeningServer, listenOnLoopback } from '../support/botframework/listen.ts';
import { fakeClock } from '../support/fixtures.ts';
import { type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
import { openPgliteSchema } from '../support/testDatabases.ts';
import { invokeAsUser, type Playground, startPlayground, writePlaygroundConfig } from './support/playground.ts';
import { CHROMIUM_PATH, chromiumLaunchOptions, open, type PlaygroundPage } from './support/playgroundPage.ts';
import { startRecordingProxy } from './support/recordingProxy.ts';

const SHOTS = 'test-results/e2e/dsp-decision';
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium && process.env.CI === 'true')
  throw new Error(`CI=true but ${CHROMIUM_PATH} is missing: .ci/run installs Debian's chromium`);
if (!hasChromium) console.warn(`\n[e2e] SKIPPING the end-to-end tests: ${CHROMIUM_PATH} is missing (apt-get install chromium)\n`);

// Obviously fictional people. You (the browser) are the police DSP; the others act through the playground.
const oid = (n: string) => `00000000-0000-4000-8000-0000000e${n}`;
const YOU = {
  aadObjectId: oid('0001'),
  name: 'Casey Testpolice',
  givenName: 'Casey',
  surname: 'Testpolice',
  email: 'casey.testpolice@police.example',
};
const LA_DSP = {
  aadObjectId: oid('0002'),
  name: 'Morgan Testcouncil',
  givenName: 'Morgan',
  surname: 'Testcouncil',
  email: 'morgan@council.example',
};
const HEALTH_DSP = {
  aadObjectId: oid('0003'),
  name: 'Riley Testhealth',
  givenName: 'Riley',
  surname: 'Testhealth',
  email: 'riley@icb.example',
};
const NOTIFIER = {
  aadObjectId: oid('0004'),
  name: 'Jordan Testnotifier',
  givenName: 'Jordan',
  surname: 'Testnotifier',
  email: 'jordan@council.example',
};
const MANAGER = {
  aadObjectId: oid('0005'),
  name: 'Avery Testmanager',
  givenName: 'Avery',
  surname: 'Testmanager',
  email: 'avery@partnership.example',
};
const CASES = { id: '19:e2e-cases@thread.tacv2', name: 'Cases' };
const CHILD = { name: 'Alexandra Testcase', dob: '2019-03-14', nhs: '943 476 5919', address: '1 Fictional Road, Nowhere' };

describe.skipIf(!hasChromium)(
  "end to end: a referral, the DSPs' decision and the rapid review to the report submitted to the Panel, as people do it in the Agents Playground",
  () => {
    let services: Services;
    let bot: ListeningServer;
    let playground: Playground;
    let browser: Browser;
    let ui: PlaygroundPage;
    let graph: GraphStandIn;
    let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
    const clock = fakeClock('2026-11-19T10:00:00Z');

    beforeAll(async () => {
      const db = await openPgliteSchema();
      graph = await startGraphStandIn();
      const credential = { getToken: async () => ({ token: 'test-graph-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
      const calendar = createGraphCalendar(createGraphClient({ credential, baseUrl: graph.baseUrl, customHosts: new Set(['127.0.0.1']) }));
      services = await composeServices(readConfig({ LOG_LEVEL: 'silent', PLAYGROUND: 'off' }), { db, now: clock.now, calendar });
      for (const [scope, who] of [
        ['police', YOU],
        ['local_authority', LA_DSP],
        ['health', HEALTH_DSP],
      ] as const) {
        await assignRole(db, { role: 'dsp', scope, userId: who.aadObjectId });
      }
      await assignRole(db, { role: 'la_notifier', scope: 'Hartlepool', userId: NOTIFIER.aadObjectId });
      await assignRole(db, { role: 'business_manager', scope: '', userId: MANAGER.aadObjectId });
      bot = await listenOnLoopback(services.http);
      const configFile = join(mkdtempSync(join(tmpdir(), 'e2e-')), '.m365agentsplayground.yml');
      writePlaygroundConfig(configFile, {
        currentUser: YOU,
        users: [LA_DSP, HEALTH_DSP, NOTIFIER, MANAGER],
        team: { name: 'Test Partnership', channels: [CASES] },
      });
      // Everything the bot says goes through a recording proxy, so the last test can scan it all.
      proxy = await startRecordingProxy(`${bot.origin}/api/messages`);
      playground = await startPlayground({ botEndpoint: proxy.botEndpoint, configFile });
      browser = await chromium.launch(chromiumLaunchOptions);
      ui = await open(await browser.newPage({ viewport: { width: 1400, height: 1000 } }), playground.url);
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await playground?.stop();
      await services?.work.drain();
      await bot?.close();
      await proxy?.close();
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

    it("starts a thread in the channel with the case card, showing initials and the clock, never the child's details", async () => {
      await services.work.drain();
      await ui.selectConversation('channel', 'Cases');
      const thread = ui.thread('HSSCP-2026-0001');
      await ui.waitForText('A.T., age 5-9', { within: thread });
      await ui.waitForText('DSP decision due by the end of Mon 23 Nov', { within: thread });
      const text = await thread.innerText();
      for (const identifier of [CHILD.name, 'Alexandra', 'Testcase', CHILD.dob, '14 Mar 2019', CHILD.nhs, CHILD.address])
        expect(text).not.toContain(identifier);
      await ui.screenshot(`${SHOTS}/03-channel-case-card.png`);
    }, 90_000);

    it('books the DSP call in Outlook and says when in the thread', async () => {
      await services.send();
      const thread = ui.thread('HSSCP-2026-0001');
      await ui.waitForText('DSP teleconference: notification decision booked for Thu 19 Nov 2026, 10:30-11:30 (London)', {
        within: thread,
      });
      await ui.waitForText('Join the Teams meeting', { within: thread });
      expect(await thread.getByRole('link', { name: 'Join the Teams meeting' }).getAttribute('href')).toMatch(
        /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//,
      );
      const invite = [...graph.events.values()][0]!;
      expect((invite.attendees as { emailAddress: { address: string } }[]).map((a) => a.emailAddress.address).sort()).toEqual(
        [YOU.email, LA_DSP.email, HEALTH_DSP.email, MANAGER.email].sort(),
      );
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
      await ui.fillInput('Decision', 'A notification will be made: form forwarded to the Local Authority Serious Incident Notifier', {
        card,
      });
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
      for (const [who, agency] of [
        [LA_DSP, 'local_authority'],
        [HEALTH_DSP, 'health'],
      ] as const) {
        const res = await invokeAsUser(playground, {
          userId: `29:${who.aadObjectId}`,
          conversationId: channelCard.conversationId,
          replyToId: channelCard.activityId,
          action: {
            verb: 'case.vote',
            title: 'Record my vote',
            data: { caseId: record.id, agency, decision: 'notify', rationale: `${agency}: agree (fictional).` },
          },
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
    // From here you also hold the notifier's, the business manager's and both chairs' roles (the
    // playground cannot switch users), and carry the case on from the case card in the channel.
    const caseCardIn = () => ui.thread('HSSCP-2026-0001').locator('.ac-adaptiveCard').first();
    /** "Record a step" on the case card, choose the step, fill its form, record it; then the thread says what happened. */
    async function recordStep(step: string, fill: (card: Locator) => Promise<void>, said: string | RegExp, shot?: string) {
      const card = caseCardIn();
      await ui.clickAction('Record a step', { card });
      await ui.waitForText('HSSCP-2026-0001: what to record', { within: card });
      await ui.clickAction(step, { card });
      await ui.waitForText(step, { within: card });
      await fill(card);
      if (shot) await card.screenshot({ path: `${SHOTS}/${shot}` });
      await ui.clickAction('Record', { card });
      await services.work.drain();
      await ui.waitForText(said, { within: ui.thread('HSSCP-2026-0001') });
    }

    it('records the Panel notification from the case card, which starts the rapid review and books its meeting', async () => {
      for (const role of ['business_manager', 'rr_chair', 'partnership_chair'] as const)
        await assignRole(services.ctx.db, { role, scope: '', userId: YOU.aadObjectId });
      await assignRole(services.ctx.db, { role: 'la_notifier', scope: 'Hartlepool', userId: YOU.aadObjectId });
      clock.set('2026-11-24T10:00:00Z');
      const card = caseCardIn();
      await ui.clickAction('Record a step', { card });
      await ui.clickAction('Record the Panel notification', { card });
      await ui.waitForText('Please notify the national Panel: HSSCP-2026-0001', { within: card });
      await ui.fillInput('Date the Panel was notified', '2026-11-24', { card });
      await ui.fillInput("The Panel's notification reference", 'CSPRP-FICTIONAL-42', { card });
      await ui.clickAction('Record the notification', { card });
      await services.work.drain();
      const thread = ui.thread('HSSCP-2026-0001');
      // 15 working days from Tue 24 Nov 2026: Wed 25 (1) ... Mon 14 (14), Tue 15 Dec (15).
      await ui.waitForText(
        'HSSCP-2026-0001: the national Panel was notified on Tue 24 Nov 2026. The rapid review has started: Rapid review report to the Panel due by the end of Tue 15 Dec.',
        { within: thread },
      );
      await services.send();
      await ui.waitForText(/HSSCP-2026-0001: Rapid review meeting booked for/, { within: thread });
      expect((await findCase(services.ctx.db, 'HSSCP-2026-0001'))?.stage).toBe('rapid_review');
    }, 90_000);

    it('sets up the rapid review: the panel and chair, the information requests, the returns, the pack', async () => {
      clock.set('2026-11-25T10:00:00Z');
      await recordStep(
        'Name the rapid review panel and chair',
        async (card) => {
          await ui.fillInput('Rapid review chair (name)', 'Robin Testchair', { card });
          await ui.fillInput('Panel members, one per line (name and agency)', 'Sam Placeholder, Local authority\nJo Sample, Police', {
            card,
          });
        },
        'HSSCP-2026-0001: rapid review panel named: chair Robin Testchair, 2 members.',
      );
      await recordStep(
        'Send the information requests',
        async (card) => {
          // A multi-select's boxes are labelled by the question and the choice together; the choice is their aria-label.
          await card.locator('input[type="checkbox"][aria-label="Police"]').check();
        },
        'HSSCP-2026-0001: Chronology / summary of involvement sent to Police; returns due by the end of Wed 2 Dec.',
        '06-information-requests-form.png',
      );
      clock.set('2026-12-01T10:00:00Z');
      await recordStep(
        "Record an agency's return",
        async (card) => {
          await ui.fillInput('Agency', 'Police (due Wed 2 Dec)', { card });
          await ui.fillInput('Return', 'Return received', { card });
        },
        'HSSCP-2026-0001: return received from Police; every agency has now returned.',
      );
      await recordStep(
        'Record the return pack circulated',
        async (card) => {
          await ui.fillInput("The agencies' returns and the referral form went to everyone attending the rapid review meeting", true, {
            card,
          });
        },
        "HSSCP-2026-0001: return pack circulated to the meeting's attendees.",
      );
    }, 120_000);

    it("records the rapid review outcome against each criterion, then the governance meeting's final decision", async () => {
      clock.set('2026-12-08T15:00:00Z');
      await recordStep(
        'Record the rapid review outcome',
        async (card) => {
          await ui.fillInput('Date of the rapid review meeting', '2026-12-08', { card });
          for (let i = 1; i <= services.ctx.profile.reviewCriteria.length; i++) {
            await ui.fillInput(new RegExp(`^${i}\\. `), 'Met', { card });
            await ui.fillInput(`Notes on ${i}`, `Fictional notes on criterion ${i}.`, { card });
          }
          await ui.fillInput('Conclusion', 'Local child safeguarding practice review (LCSPR)', { card });
          await ui.fillInput('Reasons for the conclusion', 'Fictional: learning about how the agencies worked together.', { card });
        },
        /HSSCP-2026-0001: rapid review held on Tue 8 Dec; its recommendation \(Local child safeguarding practice review \(LCSPR\)\) goes to the governance meeting/,
        '07-rapid-review-outcome-form.png',
      );
      expect((await findCase(services.ctx.db, 'HSSCP-2026-0001'))?.stage).toBe('governance');
      clock.set('2026-12-10T15:00:00Z');
      await recordStep(
        'Record the governance meeting and final decision',
        async (card) => {
          await ui.fillInput('Date of the review governance meeting', '2026-12-10', { card });
          await ui.fillInput(/^Final decision/, 'Local child safeguarding practice review (LCSPR)', { card });
          await ui.fillInput('Reasons (added to the rapid review report)', 'Fictional: the criteria for a local review are met.', { card });
        },
        /HSSCP-2026-0001: governance meeting held on Thu 10 Dec; the partnership chair's final decision: Local child safeguarding practice review \(LCSPR\)/,
      );
    }, 120_000);

    it('records the report submitted to the Panel, on time, and the case card says what comes next', async () => {
      clock.set('2026-12-14T16:00:00Z');
      await recordStep(
        'Record the report sent to the Panel',
        async (card) => {
          await ui.fillInput('Date the rapid review report went to the national Panel', '2026-12-14', { card });
        },
        "HSSCP-2026-0001: rapid review report submitted to the Panel on Mon 14 Dec. The Panel's response is awaited.",
      );
      const record = (await findCase(services.ctx.db, 'HSSCP-2026-0001'))!;
      expect(record.stage).toBe('panel_response');
      const clocks = await listClocks(services.ctx.db, record.id);
      expect(clocks.find((c) => c.clockId === 'rr_report_to_panel')).toMatchObject({ state: 'met', dueDate: '2026-12-15' });
      const card = caseCardIn();
      await ui.waitForText("Record the Panel's response", { within: card });
      await ui.screenshot(`${SHOTS}/08-report-submitted.png`);
      // The thread's latest notes in view: what happened at each step, by reference and initials only.
      await ui
        .thread('HSSCP-2026-0001')
        .getByText(/rapid review report submitted to the Panel/)
        .scrollIntoViewIfNeeded();
      await ui.page.screenshot({ path: `${SHOTS}/report-submitted-thread.png` });
      const text = await ui.page.locator('main, body').first().innerText();
      for (const identifier of [CHILD.name, CHILD.dob, CHILD.nhs, CHILD.address]) expect(text).not.toContain(identifier);
    }, 90_000);

    it('said nothing identifying the child in the channel: every channel activity of this run scanned', async () => {
      // Full details, asked for from the channel card, go to your 1:1 chat (you are the business manager).
      await ui.clickAction('Full details (1:1)', { card: caseCardIn() });
      await services.work.drain();
      await ui.selectConversation('personal');
      await ui.waitForText(CHILD.name);
      const channel = proxy.recorded.filter((a) => a.conversationId.startsWith(CASES.id));
      // The scan must have something to scan: the case's thread, its notes and the cards answered there.
      expect(channel.filter((a) => a.kind === 'sent').length).toBeGreaterThan(15);
      expect(channel.some((a) => a.kind === 'invoke_answer')).toBe(true);
      expect(channel.some((a) => a.body.includes('HSSCP-2026-0001'))).toBe(true);
      const dob = ['2019-03-14', '14 Mar 2019', '14/03/2019', 'March 14, 2019'];
      const leaks = channel.filter((a) =>
        [CHILD.name, 'Alexandra', 'Testcase', ...dob, CHILD.nhs, CHILD.nhs.replace(/ /g, ''), CHILD.address, 'Fictional Road'].some((x) =>
          a.body.includes(x),
        ),
      );
      expect(leaks.map((a) => a.body.slice(0, 200))).toEqual([]);
      // The same scan does find the child in the 1:1 chat, where full details were asked for: it can fail.
      expect(proxy.recorded.some((a) => !a.conversationId.startsWith(CASES.id) && a.body.includes(CHILD.name))).toBe(true);
      console.log(
        `[e2e] scanned ${channel.length} channel activities (${proxy.recorded.length} in all): no child identifiers in the channel`,
      );
    }, 30_000);
  },
);
