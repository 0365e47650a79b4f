import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { composeServices, type Services } from '../../src/composition.ts';
import { readConfig } from '../../src/config.ts';
import { startWalk, WHO } from '../lifecycle/support/caseWalk.ts';
import { type EntraStandIn, startEntraStandIn } from '../reliability/support/tokensEntra.ts';
import { type ListeningServer, listenOnLoopback } from '../support/botframework/listen.ts';
import { fakeClock } from '../support/fixtures.ts';
import { openPgliteSchema } from '../support/testDatabases.ts';

/**
 * Who sees which case in the dashboard (issue #13 item 7), through the API with real RS256 Teams SSO
 * tokens: the HSSCP profile's `dashboardAccess` decides, per role, and a case someone may not see is
 * "no such case", exactly like one that does not exist.
 */

// Obviously fictional: the tab's Entra app, the partnership's tenant and people.
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '00000000-0000-4000-8000-00000000e7a1';
const HARTLEPOOL_NOTIFIER = '00000000-0000-4000-8000-00000000f101';
const TWO_HATS = '00000000-0000-4000-8000-00000000f102';
const REVIEWER = '00000000-0000-4000-8000-00000000f103';
const MISSING_CASE = '00000000-0000-4000-8000-0000000c0000';

/** Five HSSCP cases: different local authorities, one the police were asked about, one routed to the Engine Room. */
async function seed(db: Database) {
  const asked = await startWalk(db, 'hsscp.json', 'Hartlepool', '2026-11-02T09:00:00Z');
  asked.at('2026-11-03T10:00:00Z');
  await asked.decide('notify');
  asked.at('2026-11-04T10:00:00Z');
  await asked.confirmNotification('2026-11-04');
  asked.at('2026-11-05T10:00:00Z');
  await asked.step('info_requests_sent', { agencies: 'police' });

  const undecided = await startWalk(db, 'hsscp.json', 'Stockton-on-Tees', '2026-11-09T09:00:00Z');
  const learning = await startWalk(db, 'hsscp.json', 'Hartlepool', '2026-11-10T09:00:00Z', { type: 'learning_request' });

  const healthAsked = await startWalk(db, 'hsscp.json', 'Stockton-on-Tees', '2026-11-11T09:00:00Z');
  healthAsked.at('2026-11-12T10:00:00Z');
  await healthAsked.decide('notify');
  await healthAsked.confirmNotification('2026-11-12');
  await healthAsked.step('info_requests_sent', { agencies: 'health' });

  const closed = await startWalk(db, 'hsscp.json', 'Stockton-on-Tees', '2026-11-13T09:00:00Z');
  closed.at('2026-11-16T10:00:00Z');
  await closed.decide('do_not_notify');
  await closed.step('case_closed', { reason: 'Fictional: referrer told.' });

  await assignRole(db, { role: 'la_notifier', scope: 'Hartlepool', userId: HARTLEPOOL_NOTIFIER });
  await assignRole(db, { role: 'la_notifier', scope: 'Stockton-on-Tees', userId: TWO_HATS });
  await assignRole(db, { role: 'agency_leads', scope: 'police', userId: TWO_HATS });
  await assignRole(db, { role: 'lead_reviewer', scope: '', userId: REVIEWER });
  return { asked, undecided, learning, healthAsked, closed };
}

describe('the dashboard shows each role the cases its profile says, and no others', () => {
  let services: Services;
  let http: ListeningServer;
  let entra: EntraStandIn;
  let cases: Awaited<ReturnType<typeof seed>>;
  const token = (oid: string) => entra.sign(entra.claims(oid));
  const get = async (path: string, oid: string) => {
    const res = await fetch(`${http.origin}${path}`, { headers: { Authorization: `Bearer ${await token(oid)}` } });
    return { status: res.status, text: await res.text() };
  };
  const listed = async (oid: string) => {
    const res = await get('/api/tab/cases', oid);
    expect(res.status).toBe(200);
    return (JSON.parse(res.text) as { reference: string }[]).map((c) => c.reference).sort();
  };
  const csvReferences = async (oid: string) => {
    const res = await get('/api/tab/export.csv', oid);
    expect(res.status).toBe(200);
    return [
      ...new Set(
        res.text
          .trim()
          .split('\n')
          .slice(1)
          .map((line) => line.split(',')[0]),
      ),
    ].sort();
  };
  const receivedInCharts = async (oid: string) => {
    const charts = JSON.parse((await get('/api/tab/charts', oid)).text) as { casesPerMonth: { cases: number }[] };
    return charts.casesPerMonth.reduce((n, m) => n + m.cases, 0);
  };
  const auditCount = async (action: string) =>
    (await services.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [action])).rows[0]!.n;
  const ref = (n: number) => `HSSCP-2026-000${n}`;

  beforeAll(async () => {
    entra = await startEntraStandIn({ clientId: CLIENT_ID, tenantId: TENANT });
    const db = await openPgliteSchema();
    cases = await seed(db);
    services = await composeServices(
      readConfig({
        LOG_LEVEL: 'silent',
        PLAYGROUND: 'off',
        TAB_SSO_CLIENT_ID: CLIENT_ID,
        TAB_SSO_JWKS_URL: entra.url,
        ALLOWED_TENANT_IDS: TENANT,
      }),
      { db, now: fakeClock('2026-11-20T10:00:00Z').now },
    );
    http = await listenOnLoopback(services.http);
  }, 60_000);
  afterAll(async () => {
    await http?.close();
    await services?.close();
    await entra?.close();
  });

  it('seeded five cases: the police asked about 0001, 0002 undecided, 0003 a learning request, the health agency asked about 0004, 0005 closed without a notification', () => {
    expect([cases.asked, cases.undecided, cases.learning, cases.healthAsked, cases.closed].map((c) => c.reference)).toEqual(
      [1, 2, 3, 4, 5].map(ref),
    );
  });

  it('the business manager sees every case: list, CSV and charts', async () => {
    expect(await listed(WHO.manager)).toEqual([1, 2, 3, 4, 5].map(ref));
    expect(await csvReferences(WHO.manager)).toEqual(expect.arrayContaining([1, 2, 4, 5].map(ref)));
    expect(await receivedInCharts(WHO.manager)).toBe(5);
    expect(JSON.parse((await get('/api/tab/me', WHO.manager)).text)).toMatchObject({ seesAllCases: true, caseAccess: ['every case'] });
  });

  it('a police safeguarding lead sees only the case the police were asked about: list, page, CSV, charts', async () => {
    const lead = WHO.lead.police;
    expect(await listed(lead)).toEqual([ref(1)]);
    expect((await get(`/api/tab/cases/${cases.asked.caseId}`, lead)).status).toBe(200);
    expect(await csvReferences(lead)).toEqual([ref(1)]);
    expect(await receivedInCharts(lead)).toBe(1);
    expect(JSON.parse((await get('/api/tab/me', lead)).text)).toMatchObject({
      seesAllCases: false,
      caseAccess: ['cases Police was asked for information on', 'cases with an action for Police'],
    });
  });

  it("another case's page and details answer the police lead exactly as a case that does not exist", async () => {
    const lead = WHO.lead.police;
    const missing = await get(`/api/tab/cases/${MISSING_CASE}`, lead);
    expect(missing).toEqual({ status: 404, text: JSON.stringify({ error: 'no such case' }) });
    for (const other of [cases.undecided, cases.learning, cases.healthAsked, cases.closed]) {
      expect(await get(`/api/tab/cases/${other.caseId}`, lead), other.reference).toEqual(missing);
      expect(await get(`/api/tab/cases/${other.caseId}/details`, lead), other.reference).toEqual(missing);
    }
    // Their own case is there; its full details are still only for the roles the profile lets read them.
    expect((await get(`/api/tab/cases/${cases.asked.caseId}/details`, lead)).status).toBe(403);
  });

  it("a Hartlepool notifier sees only Hartlepool children's cases, and reads full details only of those (audited)", async () => {
    expect(await listed(HARTLEPOOL_NOTIFIER)).toEqual([ref(1), ref(3)]);
    const csv = await csvReferences(HARTLEPOOL_NOTIFIER);
    expect(csv).toContain(ref(1));
    expect(csv.filter((r) => r !== ref(1) && r !== ref(3))).toEqual([]);
    const before = await auditCount('details_viewed');
    expect((await get(`/api/tab/cases/${cases.undecided.caseId}`, HARTLEPOOL_NOTIFIER)).status).toBe(404);
    expect((await get(`/api/tab/cases/${cases.undecided.caseId}/details`, HARTLEPOOL_NOTIFIER)).status).toBe(404);
    expect(await auditCount('details_viewed')).toBe(before);
    expect((await get(`/api/tab/cases/${cases.asked.caseId}/details`, HARTLEPOOL_NOTIFIER)).status).toBe(200);
    expect(await auditCount('details_viewed')).toBe(before + 1);
    expect(JSON.parse((await get('/api/tab/me', HARTLEPOOL_NOTIFIER)).text)).toMatchObject({
      caseAccess: ['cases of Hartlepool children'],
    });
  });

  it('the Engine Room sees the learning route and the rapid reviews it sits on, not a case still with the DSPs or closed without a notification', async () => {
    expect(await listed(WHO.engineRoom)).toEqual([ref(1), ref(3), ref(4)]);
    expect((await get(`/api/tab/cases/${cases.learning.caseId}`, WHO.engineRoom)).status).toBe(200);
    expect((await get(`/api/tab/cases/${cases.undecided.caseId}`, WHO.engineRoom)).status).toBe(404);
    expect((await get(`/api/tab/cases/${cases.closed.caseId}`, WHO.engineRoom)).status).toBe(404);
  });

  it("someone holding two roles sees the union: Stockton-on-Tees's cases and the one the police were asked about", async () => {
    expect(await listed(TWO_HATS)).toEqual([ref(1), ref(2), ref(4), ref(5)]);
    expect(await csvReferences(TWO_HATS)).toEqual(expect.arrayContaining([1, 2, 4, 5].map(ref)));
    expect(await csvReferences(TWO_HATS)).not.toContain(ref(3));
    expect((await get(`/api/tab/cases/${cases.learning.caseId}`, TWO_HATS)).status).toBe(404);
  });

  it('a role the profile shows no cases to gets in, sees none, and is told so', async () => {
    expect(await listed(REVIEWER)).toEqual([]);
    expect(await csvReferences(REVIEWER)).toEqual([]);
    expect(await receivedInCharts(REVIEWER)).toBe(0);
    expect((await get(`/api/tab/cases/${cases.asked.caseId}`, REVIEWER)).status).toBe(404);
    expect(JSON.parse((await get('/api/tab/me', REVIEWER)).text)).toMatchObject({ seesAllCases: false, caseAccess: [] });
  });
});
