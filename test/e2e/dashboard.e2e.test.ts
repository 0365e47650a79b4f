import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { composeServices, type Services } from '../../src/composition.ts';
import { readConfig } from '../../src/config.ts';
import { criteriaViews, startWalk, WHO } from '../lifecycle/support/caseWalk.ts';
import { type ListeningServer, listenOnLoopback } from '../support/botframework/listen.ts';
import { fakeClock } from '../support/fixtures.ts';
import { openPgliteSchema } from '../support/testDatabases.ts';
import { CHROMIUM_PATH, chromiumLaunchOptions } from './support/playgroundPage.ts';

const SHOTS = 'test-results/e2e/dashboard';
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium && process.env.CI === 'true')
  throw new Error(`CI=true but ${CHROMIUM_PATH} is missing: .ci/run installs Debian's chromium`);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Three fictional cases: one through its rapid review to the Panel's answer, one overdue for its decision, one closed. */
async function seed(db: Database): Promise<{ reviewed: string }> {
  const a = await startWalk(db, 'hsscp.json', 'Hartlepool', '2026-06-16T09:00:00Z');
  a.at('2026-06-17T10:00:00Z');
  await a.decide('notify');
  a.at('2026-06-18T10:00:00Z');
  await a.confirmNotification('2026-06-18');
  a.at('2026-07-01T14:00:00Z');
  await a.step(
    'rr_meeting_held',
    { heldOn: '2026-07-01', ...criteriaViews(a.profile), conclusion: 'local_review', reasons: 'Fictional reasons.' },
    WHO.rrChair,
  );
  a.at('2026-07-02T14:00:00Z');
  await a.step('governance_meeting_held', { heldOn: '2026-07-02', decision: 'local_review', reasons: 'Fictional.' }, WHO.chair);
  a.at('2026-07-03T14:00:00Z');
  await a.step('rr_report_submitted', { submittedOn: '2026-07-03' });
  a.at('2026-07-20T14:00:00Z');
  await a.step('panel_response_received', { receivedOn: '2026-07-20', response: 'agrees' });

  const c = await startWalk(db, 'hsscp.json', 'Stockton-on-Tees', '2026-09-01T09:00:00Z');
  c.at('2026-09-02T10:00:00Z');
  await c.decide('do_not_notify');
  await c.step('case_closed', { reason: 'Fictional: referrer told.' });

  await startWalk(db, 'hsscp.json', 'Hartlepool', '2026-11-16T10:00:00Z'); // DSP decision due Wed 18 Nov: overdue by Friday
  await assignRole(db, { role: 'business_manager', scope: '', userId: WHO.manager, displayName: 'Avery Testmanager' });
  await assignRole(db, { role: 'engine_room', scope: '', userId: WHO.engineRoom, displayName: 'Sam Testengine' });
  return { reviewed: a.reference };
}

async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: number }[]> {
  await page.evaluate(AXE);
  // Run in the page (Playwright evaluates over the DevTools protocol, so the page's CSP does not block it).
  return page.evaluate('axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))');
}

describe.skipIf(!hasChromium)('end to end: the dashboard tab in a browser (local sign-in, seeded cases)', () => {
  let services: Services;
  let http: ListeningServer;
  let browser: Browser;
  let page: Page;
  let reviewed: string;

  beforeAll(async () => {
    const db = await openPgliteSchema();
    ({ reviewed } = await seed(db));
    services = await composeServices(readConfig({ LOG_LEVEL: 'silent', PLAYGROUND: 'off' }), {
      db,
      now: fakeClock('2026-11-20T10:00:00Z').now,
    });
    http = await listenOnLoopback(services.http);
    browser = await chromium.launch(chromiumLaunchOptions);
    page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await http?.close();
    await services?.close();
  });

  it('says it belongs in Teams when opened on its own, and offers the local sign-in', async () => {
    await page.goto(`${http.origin}/tab`);
    await page.getByRole('heading', { name: 'Open this dashboard in Microsoft Teams' }).waitFor();
    await page.getByLabel('Sign in as').selectOption(WHO.manager);
    await page.screenshot({ path: `${SHOTS}/01-outside-teams-local-sign-in.png`, fullPage: true });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /cases$/ }).waitFor();
  }, 60_000);

  it('lists the open cases with their next clock, RAG and owner, and filters them', async () => {
    const rows = page.locator('table.cases tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const overdue = rows.filter({ hasText: 'HSSCP-2026-0003' });
    await expect
      .poll(() => overdue.innerText())
      .toMatch(/A\.T\.\s+[^\t]+\s+DSP decision: due Wed 18 Nov 2026\s+Overdue\s+HSSCP Delegated Safeguarding Partner/);
    await page.screenshot({ path: `${SHOTS}/02-case-list.png`, fullPage: true });
    await page.getByLabel('Show').selectOption('overdue=true');
    await expect.poll(() => page.locator('table.cases caption').innerText()).toBe('1 case');
    await page.getByLabel('Show').selectOption('open=false');
    await expect.poll(() => page.locator('table.cases tbody').innerText()).toContain('HSSCP-2026-0002');
    await page.getByLabel('Show').selectOption('open=true');
    await expect.poll(() => rows.count()).toBe(2);
  }, 60_000);

  it('shows the charts: timeliness per statutory clock, conversion, cases per month', async () => {
    const charts = page.locator('section.charts');
    await charts.waitFor();
    // Of the statutory clocks due in the last 12 months: the reviewed case met its Panel notification and its report; the new one is overdue.
    await expect.poll(() => charts.locator('svg title').first().textContent()).toContain('Statutory clocks met on time');
    await expect.poll(() => charts.innerText()).toContain('Rapid reviews that became a local practice review: 1 of 1 (100%).');
    await charts.screenshot({ path: `${SHOTS}/03-charts.png` });
  }, 60_000);

  it('downloads the CSV of cases and clock outcomes', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export CSV/ }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toBe('cases-and-clocks.csv');
    expect(csv.split('\n')[0]).toBe('reference,initials,stage,received,clock,item,statutory,started,due,completed,outcome');
    // 15 working days from the notification on Thu 18 Jun 2026: Fri 19 (1) ... Wed 8 (14), Thu 9 Jul (15).
    expect(csv).toContain(
      `${reviewed},A.T.,lcspr,2026-06-16T09:00:00.000Z,"Rapid Review report, with the partnership chair's final decision, submitted to the National Panel",,yes,2026-06-18,2026-07-09,2026-07-03T14:00:00.000Z,met on time`,
    );
    expect(csv).toMatch(/HSSCP-2026-0003,A\.T\.,dsp_decision,[^\n]*,overdue/);
    expect(csv).not.toContain('Alexandra');
  }, 60_000);

  it('opens a case: its clocks met on time or late, the timeline, votes with rationale for this role, the audit trail verified', async () => {
    await page.getByRole('link', { name: reviewed }).click();
    await page.getByRole('heading', { name: `${reviewed} (A.T.)` }).waitFor();
    const clocks = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Clocks' }) });
    await expect.poll(() => clocks.innerText()).toMatch(/submitted to the National Panel · statutory\s+Thu 9 Jul 2026\s+met on time/);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Audit chain verified');
    expect(text).toContain('Fictional rationale from the police partner.');
    expect(text).toContain('rr report submitted');
    expect(text).not.toContain('Alexandra');
    await page.screenshot({ path: `${SHOTS}/04-case-page.png`, fullPage: true });
    // Full details only on request, and every request is audited.
    const audited = async () =>
      (await services.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'details_viewed'`)).rows[0]!.n;
    const before = await audited();
    await page.getByRole('button', { name: /Show full details/ }).click();
    await page.getByText('Alexandra Testcase').waitFor();
    expect(await audited()).toBe(before + 1);
  }, 60_000);

  it('has no serious or critical accessibility violations (axe-core), on the list and on a case', async () => {
    const onCase = await axeViolations(page);
    await page.getByRole('link', { name: '← All cases' }).click();
    await page.locator('table.cases').waitFor();
    const onList = await axeViolations(page);
    const serious = [...onCase, ...onList].filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
    // The same check does catch a page with problems (an image without alt text, no language).
    const bad = await browser.newPage();
    await bad.setContent('<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body></html>');
    expect((await axeViolations(bad)).map((v) => v.id)).toEqual(expect.arrayContaining(['image-alt', 'html-has-lang']));
    await bad.close();
  }, 60_000);

  it('refuses to be framed by a site that is not Teams (CSP frame-ancestors)', async () => {
    const other = await hostingPage(`${http.origin}/tab`);
    try {
      const framing = await browser.newPage();
      const blocked = framing.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
      await framing.goto(other.url);
      expect((await blocked).text()).toContain('frame-ancestors');
      await framing.close();
    } finally {
      await other.close();
    }
  }, 60_000);

  it('says Teams did not answer when framed by something else (its CSP removed for that page only)', async () => {
    const other = await hostingPage(`${http.origin}/tab`);
    const context = await browser.newContext();
    // Only here: the tab's CSP would stop the frame from loading at all (the test above), so it is
    // removed for this one page to show what the page itself says in a frame that is not Teams.
    await context.route(/\/tab$/, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['content-security-policy'];
      await route.fulfill({ response, headers });
    });
    try {
      const framing = await context.newPage();
      await framing.goto(other.url);
      const frame = framing.frameLocator('iframe');
      await frame
        .getByText('Teams did not answer: this page is shown inside something that is not Microsoft Teams')
        .waitFor({ timeout: 15_000 });
      await expect.poll(() => frame.getByLabel('Sign in as').count()).toBe(0);
    } finally {
      await context.close();
      await other.close();
    }
  }, 60_000);
});

/** A page on another origin (localhost vs 127.0.0.1) that frames the tab. */
async function hostingPage(tabUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><title>Not Teams</title><iframe src="${tabUrl}" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
      }),
  };
}
