import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { composeServices, type Services } from '../../src/composition.ts';
import { readConfig } from '../../src/config.ts';
import { type ListeningServer, listenOnLoopback } from '../support/botframework/listen.ts';
import { assignDsps, DSP, fakeClock, sampleReferral } from '../support/fixtures.ts';
import { openPgliteSchema } from '../support/testDatabases.ts';

// Obviously fictional: the tab's Entra app, the partnership's tenant and another one.
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '00000000-0000-4000-8000-00000000e7a1';
const OTHER_TENANT = '00000000-0000-4000-8000-00000000e7a2';
const MANAGER = '00000000-0000-4000-8000-00000000f001';
const ENGINE_ROOM = '00000000-0000-4000-8000-00000000f002';
const NOBODY = '00000000-0000-4000-8000-00000000f003';

/** A local stand-in for Entra's key endpoint, and tokens signed like Teams SSO tokens. */
async function startJwks(): Promise<{
  url: string;
  sign: (claims: Record<string, unknown>, opts?: { key?: CryptoKey; kid?: string; alg?: string; expiresIn?: number }) => Promise<string>;
  close: () => Promise<void>;
}> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'entra-test-key', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  return {
    url,
    sign: async (claims, opts = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tid: TENANT, ver: '2.0', scp: 'access_as_user', azp: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', ...claims })
        .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? 'entra-test-key', typ: 'JWT' })
        .setIssuer(String(claims.iss ?? `https://login.microsoftonline.com/${claims.tid ?? TENANT}/v2.0`))
        .setAudience(String(claims.aud ?? CLIENT_ID))
        .setIssuedAt(now - 60)
        .setExpirationTime(now + (opts.expiresIn ?? 3600))
        .sign(opts.key ?? privateKey);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
      }),
  };
}

describe('the dashboard API accepts only validated Teams SSO tokens, and shows what the role allows', () => {
  let services: Services;
  let http: ListeningServer;
  let jwks: Awaited<ReturnType<typeof startJwks>>;
  let caseId: string;
  const get = async (path: string, token?: string) => {
    const res = await fetch(`${http.origin}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      csp: res.headers.get('content-security-policy') ?? '',
      text: await res.text(),
    };
  };
  const auditCount = async (action: string) =>
    (await services.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [action])).rows[0]!.n;

  beforeAll(async () => {
    jwks = await startJwks();
    const db = await openPgliteSchema();
    services = await composeServices(
      readConfig({
        LOG_LEVEL: 'silent',
        PLAYGROUND: 'off',
        TAB_SSO_CLIENT_ID: CLIENT_ID,
        TAB_SSO_JWKS_URL: jwks.url,
        ALLOWED_TENANT_IDS: TENANT,
        PUBLIC_URL: 'https://tracker.partnership.example',
      }),
      { db, now: fakeClock('2026-11-19T10:00:00Z').now },
    );
    await assignDsps(db);
    await assignRole(db, { role: 'business_manager', scope: '', userId: MANAGER, displayName: 'Test Manager' });
    await assignRole(db, { role: 'engine_room', scope: '', userId: ENGINE_ROOM, displayName: 'Test Engine Room' });
    caseId = (await submitReferral(services.ctx, sampleReferral(), 'referrer-fictional')).case.id;
    await castVote(services.ctx, { caseId, agency: 'police', decision: 'notify', rationale: 'Fictional police rationale.' }, DSP.police);
    http = await listenOnLoopback(services.http);
  });
  afterAll(async () => {
    await http?.close();
    await services?.close();
    await jwks?.close();
  });

  it('serves the tab with a CSP that lets only Teams and Microsoft 365 frame it, and scripts only from itself', async () => {
    const page = await get('/tab');
    expect(page.status).toBe(200);
    expect(page.csp).toContain("script-src 'self'");
    expect(page.csp).toMatch(/frame-ancestors 'self' https:\/\/teams\.microsoft\.com https:\/\/\*\.teams\.microsoft\.com/);
    expect(page.text).toContain('<script type="module" src="/tab/app.js">');
    const configure = await get('/tab/configure');
    expect(configure.status).toBe(200);
    expect(configure.text).toContain('data-page="configure"');
    expect(configure.csp).toContain('frame-ancestors');
    const script = await get('/tab/app.js');
    expect(script.type).toContain('javascript');
    expect(script.text.length).toBeGreaterThan(10_000);
  });

  it('answers a good token: who you are, the cases, a case, the charts, the CSV (audited)', async () => {
    const token = await jwks.sign({ oid: MANAGER, name: 'Test Manager' });
    expect(JSON.parse((await get('/api/tab/me', token)).text)).toMatchObject({ name: 'Test Manager', canSeeDetails: true });
    const cases = JSON.parse((await get('/api/tab/cases', token)).text) as { reference: string; next?: { rag: string } }[];
    expect(cases.map((c) => c.reference)).toEqual(['HSSCP-2026-0001']);
    expect(cases[0]!.next).toMatchObject({ clock: 'DSP decision', dueDate: '2026-11-23', rag: 'green' });
    const view = JSON.parse((await get(`/api/tab/cases/${caseId}`, token)).text) as {
      votes: { rationale?: string }[];
      auditChain: { ok: boolean };
    };
    expect(view.votes[0]!.rationale).toBe('Fictional police rationale.');
    expect(view.auditChain.ok).toBe(true);
    expect(JSON.parse((await get('/api/tab/charts', token)).text)).toHaveProperty('timeliness');
    const before = await auditCount('cases_exported');
    const csv = await get('/api/tab/export.csv', token);
    expect(csv.type).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe('reference,initials,stage,received,clock,item,statutory,started,due,completed,outcome');
    expect(csv.text).toContain('HSSCP-2026-0001,A.T.,dsp_decision');
    expect(csv.text).not.toContain('Alexandra');
    expect(await auditCount('cases_exported')).toBe(before + 1);
  });

  it.each<[string, () => Promise<string | undefined>, number]>([
    ['no token', async () => undefined, 401],
    ['a token for another app (wrong audience)', async () => jwks.sign({ oid: MANAGER, aud: '99999999-2222-4333-8444-555555555555' }), 401],
    ['an expired token', async () => jwks.sign({ oid: MANAGER }, { expiresIn: -600 }), 401],
    ['a token issued by another issuer', async () => jwks.sign({ oid: MANAGER, iss: 'https://evil.example/v2.0' }), 401],
    [
      'a token signed by a key Entra did not publish',
      async () => jwks.sign({ oid: MANAGER }, { key: (await generateKeyPair('RS256')).privateKey }),
      401,
    ],
    ['a token naming an unknown key', async () => jwks.sign({ oid: MANAGER }, { kid: 'not-published' }), 401],
    ['a token from another organisation (wrong tenant)', async () => jwks.sign({ oid: MANAGER, tid: OTHER_TENANT }), 403],
    ['a good token for someone with no partnership role', async () => jwks.sign({ oid: NOBODY }), 403],
    ['garbage', async () => 'not.a.token', 401],
  ])('refuses %s', async (_name, token, status) => {
    const res = await get('/api/tab/cases', await token());
    expect(res.status).toBe(status);
    expect(JSON.parse(res.text)).toHaveProperty('error');
    expect(res.text).not.toContain('HSSCP-2026-0001');
  });

  it('shows full details only to roles the profile allows, and audits every view', async () => {
    // The HSSCP Engine Room sees a case once the DSPs decide to notify (000: its members are the rapid review panel).
    await castVote(
      services.ctx,
      { caseId, agency: 'local_authority', decision: 'notify', rationale: 'Fictional local authority rationale.' },
      DSP.local_authority,
    );
    await castVote(services.ctx, { caseId, agency: 'health', decision: 'notify', rationale: 'Fictional health rationale.' }, DSP.health);
    const engineRoom = await jwks.sign({ oid: ENGINE_ROOM });
    const before = await auditCount('details_viewed');
    const refused = await get(`/api/tab/cases/${caseId}/details`, engineRoom);
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('Alexandra');
    expect(await auditCount('details_viewed')).toBe(before);
    // Nor do the vote rationales reach a role without rights to full details.
    expect(JSON.parse((await get(`/api/tab/cases/${caseId}`, engineRoom)).text).votes[0]).not.toHaveProperty('rationale');
    const allowed = await get(`/api/tab/cases/${caseId}/details`, await jwks.sign({ oid: MANAGER }));
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.text).child.name).toBe('Alexandra Testcase');
    expect(await auditCount('details_viewed')).toBe(before + 1);
  });

  it('offers no local sign-in when Teams SSO is configured', async () => {
    expect(JSON.parse((await get('/api/tab/mode')).text)).toEqual({ mode: 'teams' });
    const res = await fetch(`${http.origin}/api/tab/local-session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: MANAGER }),
    });
    expect(res.status).toBe(404);
  });
});

describe('the dashboard API in the local embedded mode (no Entra app)', () => {
  let services: Services;
  let http: ListeningServer;
  beforeAll(async () => {
    services = await composeServices(readConfig({ LOG_LEVEL: 'silent', PLAYGROUND: 'off' }), { db: await openPgliteSchema() });
    await assignRole(services.ctx.db, { role: 'business_manager', scope: '', userId: MANAGER, displayName: 'Test Manager' });
    http = await listenOnLoopback(services.http);
  });
  afterAll(async () => {
    await http?.close();
    await services?.close();
  });

  it('lets a newcomer sign in as one of the configured people, and no one else', async () => {
    const mode = await (await fetch(`${http.origin}/api/tab/mode`)).json();
    expect(mode).toEqual({
      mode: 'local',
      people: [{ id: MANAGER, name: 'Test Manager', roles: ['HSSCP Business Manager (business unit)'] }],
    });
    const signIn = (userId: string) =>
      fetch(`${http.origin}/api/tab/local-session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
    expect((await signIn(NOBODY)).status).toBe(403);
    const { token } = (await (await signIn(MANAGER)).json()) as { token: string };
    expect((await fetch(`${http.origin}/api/tab/me`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${http.origin}/api/tab/me`, { headers: { Authorization: `Bearer ${token}x` } })).status).toBe(401);
  });
});
