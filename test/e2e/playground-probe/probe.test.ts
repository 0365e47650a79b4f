// Probes what the M365 Agents Playground does with the features our bot relies on, by acting as a
// person in its web client (headless Debian chromium via playwright-core). Screenshots go to
// test-results/e2e/playground-probe/ (gitignored). Findings are written up in the e2e notes.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Playground, PlaygroundConfig } from '../support/playground.ts';
import { activityFromUser, invokeAsUser, postToBot, startPlayground, writePlaygroundConfig } from '../support/playground.ts';
import { CHROMIUM_PATH, chromiumLaunchOptions, PlaygroundPage } from '../support/playgroundPage.ts';
import type { ProbeBot } from './probeBot.ts';
import { startProbeBot } from './probeBot.ts';

const SHOTS = join(process.cwd(), 'test-results', 'e2e', 'playground-probe');
const RAPID_REVIEWS = { id: '19:e2e-rapid-reviews@thread.tacv2', name: 'Rapid reviews' };

describe.skipIf(!existsSync(CHROMIUM_PATH))('Agents Playground driven as a person', { timeout: 120_000 }, () => {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  let config: PlaygroundConfig;
  let bot: ProbeBot;
  let pg: Playground;
  let browser: Browser;
  let ui: PlaygroundPage;
  let dir: string;

  const shot = (name: string): Promise<void> => ui.screenshot(join(SHOTS, `${name}.png`));
  const invokes = (verb: string): Record<string, unknown>[] =>
    bot.received.filter(
      (a) => a.type === 'invoke' && (a.value as { action?: { verb?: string } } | undefined)?.action?.verb === verb,
    ) as Record<string, unknown>[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'playground-probe-'));
    config = writePlaygroundConfig(join(dir, '.m365agentsplayground.yml'), {
      currentUser: { name: 'Dana Price', aadObjectId: '3f1b2c4d-0000-4000-8000-00000000d5b1', email: 'dana.price@partnership.example' },
      users: [
        { name: 'Megan Bowen', aadObjectId: '3f1b2c4d-0000-4000-8000-000000000001' },
        { name: 'Adele Vance', aadObjectId: '3f1b2c4d-0000-4000-8000-000000000002' },
      ],
      team: { name: 'Safeguarding Partnership', id: '19:e2e-partnership-general@thread.tacv2', channels: [RAPID_REVIEWS] },
      bot: { id: '28:00000000-0000-0000-0000-0000000000b0', name: 'Review Tracker' },
    });

    bot = await startProbeBot({ channelId: RAPID_REVIEWS.id });
    let t = Date.now();
    pg = await startPlayground({ botEndpoint: bot.url, configFile: join(dir, '.m365agentsplayground.yml') });
    timings['playgroundStartMs'] = Date.now() - t;
    t = Date.now();
    browser = await chromium.launch(chromiumLaunchOptions);
    timings['chromiumLaunchMs'] = Date.now() - t;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    t = Date.now();
    ui = await PlaygroundPage.open(page, pg.url);
    timings['pageOpenMs'] = Date.now() - t;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await pg?.stop();
    await bot?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    timings['totalMs'] = Date.now() - t0;
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    console.log('playground probe timings', timings);
  }, 30_000);

  it('delivers personal messages with the YAML identity (from.id, from.aadObjectId)', async () => {
    await ui.selectConversation('personal');
    await ui.sendMessage('whoami');
    await ui.waitForText(`from.id=${config.currentUser.id} aad=${config.currentUser.aadObjectId} name=Dana Price`);
    const install = bot.received.find((a) => a.type === 'installationUpdate');
    expect(install?.conversation?.id).toBe(config.personalChatId);
  });

  it('validates card inputs, then Action.Execute replaces the card with the invoke response', async () => {
    await ui.sendMessage('card');
    const card = ui.lastCard();
    await card.getByText('Probe referral').waitFor();

    await ui.clickAction('Submit referral', { card });
    await ui.waitForText('Use two or three capital letters', { within: card });
    await ui.waitForText('Choose a type of harm', { within: card });
    await shot('01-card-validation');
    expect(invokes('submitReferral')).toHaveLength(0);

    await ui.fillInput('Child initials', 'ab1', { card });
    await ui.clickAction('Submit referral', { card });
    await ui.waitForText('Use two or three capital letters', { within: card }); // regex fails
    await ui.page.waitForTimeout(300);
    expect(invokes('submitReferral')).toHaveLength(0);

    await ui.fillInput('Child initials', 'AB', { card });
    await ui.fillInput('Type of harm', 'Online harm', { card });
    await ui.fillInput('Outcome', 'Seriously harmed', { card });
    await ui.fillInput('Date of incident', '2025-03-14', { card });
    await ui.fillInput('Ofsted already notified', true, { card });
    await shot('02-card-filled');
    await ui.clickAction('Submit referral', { card });

    const replaced = ui.lastCard();
    await ui.waitForText('Referral received', { within: replaced });
    await shot('03-card-replaced');
    await expect.poll(() => invokes('submitReferral').length).toBe(1);
    const invoke = invokes('submitReferral')[0] as { from: Record<string, string>; value: { action: { data: Record<string, unknown> } } };
    expect(invoke.from).toMatchObject({ id: config.currentUser.id, aadObjectId: config.currentUser.aadObjectId });
    expect(invoke.value.action.data).toEqual({
      probe: 'input',
      childName: 'AB',
      harm: 'online',
      outcome: 'harmed',
      incidentDate: '2025-03-14',
      notifiedOfsted: 'yes',
    });
    expect(await replaced.innerText()).toContain('Dana Price');
    expect(await ui.page.getByRole('button', { name: 'Submit referral' }).count()).toBe(0);
  });

  it('does not fetch per-user views from a card refresh', async () => {
    await ui.sendMessage('refresh');
    await ui.waitForText('Shared view (not refreshed)');
    await ui.page.waitForTimeout(1500);
    expect(invokes('personalView')).toHaveLength(0);
    expect(await ui.logPanelText()).toMatch(/Warning:\s*User specific view is not supported/);
    // A manual Action.Execute with the same verb does work.
    await ui.clickAction('Refresh me');
    await ui.waitForText('Personal view for Dana Price');
    expect(invokes('personalView')).toHaveLength(1);
  });

  it('shows updateActivity in place of the original message', async () => {
    await ui.sendMessage('update');
    await ui.waitForText('Version two, updated by the bot');
    expect(await ui.visibleText('Version one of an updatable message').count()).toBe(0);
    await shot('04-update-activity');
  });

  it('shows a proactive channel post, its update and the bot reply in its thread', async () => {
    await ui.sendMessage('channel');
    await ui.waitForText('Posted to the channel');
    expect(bot.errors).toEqual([]);
    const post = bot.channelPosts[0];
    // botbuilder 4.23.3 + CloudAdapter hands back the thread's conversation id, not the message id.
    expect(post?.returnedId).toBe(post?.conversationId);
    expect(post?.conversationId).toMatch(new RegExp(`^${RAPID_REVIEWS.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};messageid=\\d+$`));

    await ui.selectConversation('channel', RAPID_REVIEWS.name);
    const thread = ui.thread('Rapid review: updated by the bot');
    await thread.waitFor();
    await ui.waitForText('A reply in the thread from the bot', { within: thread });
    expect(await ui.visibleText('Rapid review: open').count()).toBe(0);
    await shot('05-channel-post-updated');
  });

  it('shows other people acting on the channel card, via the playground or straight to the bot', async () => {
    const post = bot.channelPosts[0];
    if (!post) throw new Error('no channel post');
    const [megan, adele] = config.users;
    if (!megan || !adele) throw new Error('no users');

    // 1. Through the playground's own invoke route, as Megan: it fills from/channelData from the YAML.
    const viaPlayground = await invokeAsUser(pg, {
      userId: megan.id,
      conversationId: post.conversationId,
      replyToId: post.activityId,
      action: { verb: 'vote', data: { vote: 'yes' } },
    });
    expect(viaPlayground.status).toBe(200);
    await ui.waitForText('Votes: Megan Bowen');
    const meganVote = invokes('vote')[0] as { from: Record<string, string>; channelData: Record<string, { id: string }> };
    expect(meganVote.from).toMatchObject({ id: megan.id, aadObjectId: megan.aadObjectId, name: 'Megan Bowen' });
    expect(meganVote.channelData['team']?.id).toBe(config.team.id);
    expect(meganVote.channelData['channel']?.id).toBe(RAPID_REVIEWS.id);

    // 2. Straight to the bot, as Adele, with serviceUrl = the playground's connector.
    const activity = activityFromUser(pg, config, {
      user: adele,
      conversationId: post.conversationId,
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: post.activityId,
      value: { action: { type: 'Action.Execute', verb: 'vote', data: { vote: 'yes' } } },
    });
    const direct = await postToBot(bot.url, activity);
    expect(direct.status).toBe(200);
    await ui.waitForText('Votes: Megan Bowen, Adele Vance');

    // 3. The signed-in person clicks the button in the page: the card is replaced by the response.
    const card = ui.thread('Votes: Megan Bowen, Adele Vance').locator('.ac-adaptiveCard').first();
    await ui.clickAction('Vote yes', { card });
    await ui.waitForText('Votes: Megan Bowen, Adele Vance, Dana Price');
    await shot('06-channel-votes');
    expect(bot.errors).toEqual([]);
  });

  it('delivers group chat and channel messages only when the bot is @mentioned', async () => {
    await ui.selectConversation('group');
    await ui.sendMessage('hello without mention', { mentionBot: false });
    await ui.sendMessage('whoami');
    await ui.waitForText(`from.id=${config.currentUser.id}`);
    const texts = bot.received.filter((a) => a.type === 'message').map((a) => a.text ?? '');
    expect(texts.some((t) => t.includes('hello without mention'))).toBe(false);
    expect(texts).toContain('<at>Review Tracker</at> whoami');

    await ui.selectConversation('channel', 'General');
    await ui.sendMessage('whoami');
    const thread = ui.newestThread();
    await ui.waitForText(`from.id=${config.currentUser.id}`, { within: thread });
    const last = bot.received.filter((a) => a.type === 'message').at(-1) as {
      conversation: { id: string };
      channelData: Record<string, unknown>;
    };
    expect(last.conversation.id).toMatch(new RegExp(`^${config.team.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};messageid=\\d+$`));
    expect(last.channelData).toMatchObject({ teamsTeamId: config.team.id, teamsChannelId: config.team.id });
    await shot('07-general-channel');
  });
});
