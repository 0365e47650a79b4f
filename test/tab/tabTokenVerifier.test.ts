import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTabTokenVerifier, TabAuthError, type TabTokenVerifierOptions } from '../../src/adapters/teams/tabTokenVerifier.ts';
import { composeServices, type Services } from '../../src/composition.ts';
import { readConfig } from '../../src/config.ts';
import { type EntraStandIn, startEntraStandIn } from '../reliability/support/tokensEntra.ts';
import { type ListeningServer, listenOnLoopback } from '../support/botframework/listen.ts';
import { openPgliteSchema } from '../support/testDatabases.ts';

/**
 * The Teams SSO token verifier on its own, against a local stand-in for Entra's key endpoint: which
 * tokens are a person's sign-in to this tab through Teams or Microsoft 365 (and which are not: 401),
 * and what it answers when it cannot fetch the keys to tell (503, not a sign-in-again 401).
 */

// Obviously fictional: the tab's Entra app, its tenant, a person, another client application.
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '00000000-0000-4000-8000-00000000e7a1';
const PERSON = '00000000-0000-4000-8000-00000000f001';
const OTHER_CLIENT = '00000000-0000-4000-8000-0000000c1e47';
const PUBLIC_URL = 'https://tracker.partnership.example';
const V1_ISSUER = `https://sts.windows.net/${TENANT}/`;
const HOUR = 3600;

/** What a call answers: 200 with the identity, or the TabAuthError's status and message. */
async function outcome(verify: (token: string) => Promise<unknown>, token: string): Promise<{ status: number; message?: string }> {
  try {
    await verify(token);
    return { status: 200 };
  } catch (error) {
    if (error instanceof TabAuthError) return { status: error.status, message: error.message };
    throw error;
  }
}

describe("the tab accepts only a person's Teams or Microsoft 365 sign-in to this tab", () => {
  let entra: EntraStandIn;
  let verify: (token: string) => Promise<unknown>;
  const now = () => Math.floor(Date.now() / 1000);
  const good = (overrides: Record<string, unknown> = {}) => entra.claims(PERSON, overrides);
  const options = (more: Partial<TabTokenVerifierOptions> = {}): TabTokenVerifierOptions => ({
    clientId: CLIENT_ID,
    publicUrl: PUBLIC_URL,
    jwksUrl: entra.url,
    allowedTenantIds: [TENANT],
    ...more,
  });

  beforeAll(async () => {
    entra = await startEntraStandIn({ clientId: CLIENT_ID, tenantId: TENANT });
    verify = createTabTokenVerifier(options());
  });
  afterAll(async () => entra?.close());

  // The client ids Microsoft documents for pre-authorising a tab's SSO (listed here, not imported, so
  // a change to the verifier's list has to change this test too).
  it.each([
    ['Teams desktop and mobile', '1fec8e78-bce4-4aaf-ab1b-5451cc387264'],
    ['Teams web', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'],
    ['Microsoft 365 web', '4765445b-32c6-49b0-83e6-1d93765276ca'],
    ['Microsoft 365 desktop', '0ec893e0-5785-4de6-99da-4ed124e5296c'],
    ['Microsoft 365 mobile and Outlook desktop', 'd3590ed6-52b3-4102-aeff-aad2292ab01c'],
    ['Outlook web', 'bc59ab01-8403-45c6-8796-ac3ef710b3e3'],
    ['Outlook mobile', '27922004-5251-4030-b22d-91ecd9a37ea4'],
    ['Outlook Web Access', '00000002-0000-0ff1-ce00-000000000000'],
  ])('accepts a v2 token asked for by %s', async (_client, azp) => {
    expect(await outcome(verify, await entra.sign(good({ azp })))).toEqual({ status: 200 });
  });

  it('accepts a v1 token (appid, the api:// resource as audience) and a scp listing other scopes too', async () => {
    const v1 = good({
      ver: '1.0',
      iss: V1_ISSUER,
      aud: `api://tracker.partnership.example/${CLIENT_ID}`,
      azp: undefined,
      appid: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
      scp: 'openid access_as_user profile',
    });
    expect(await outcome(verify, await entra.sign(v1))).toEqual({ status: 200 });
  });

  it.each<[string, () => Record<string, unknown>]>([
    ['no scp (the shape of an ID token)', () => good({ scp: undefined })],
    [
      'an app-only token (idtyp app, roles, no scp)',
      () => good({ scp: undefined, idtyp: 'app', roles: ['Cases.Read.All'], azp: OTHER_CLIENT }),
    ],
    ['an app-only token without idtyp (roles, no scp)', () => good({ scp: undefined, roles: ['Cases.Read.All'] })],
    ['a token marked app-only (idtyp app) that carries the scope', () => good({ idtyp: 'app' })],
    ['a scope of another API', () => good({ scp: 'User.Read Mail.Read' })],
    ['a scope that only begins with access_as_user', () => good({ scp: 'access_as_user_admin' })],
    ["the scope as a list rather than Entra's space-separated string", () => good({ scp: ['access_as_user'] })],
    ['a client that is not Teams or Microsoft 365 (azp)', () => good({ azp: OTHER_CLIENT })],
    ['no azp and no appid', () => good({ azp: undefined })],
    ['a v2 token naming Teams only in appid', () => good({ azp: undefined, appid: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' })],
    ['a v1 token from another client (appid)', () => good({ ver: '1.0', iss: V1_ISSUER, azp: undefined, appid: OTHER_CLIENT })],
    ['a v1 token naming Teams only in azp', () => good({ ver: '1.0', iss: V1_ISSUER })],
    ['a ten-year lifetime', () => good({ exp: now() + 10 * 365 * 24 * HOUR })],
    ['a 29-hour lifetime', () => good({ iat: now() - 60, nbf: now() - 60, exp: now() - 60 + 29 * HOUR })],
    ['issued (iat) a day in the future', () => good({ iat: now() + 24 * HOUR })],
    ['no iat', () => good({ iat: undefined })],
  ])('refuses %s with 401', async (_kind, claims) => {
    expect((await outcome(verify, await entra.sign(claims()))).status).toBe(401);
  });

  it('accepts a lifetime of 28 hours (the longest Entra issues, to clients capable of continuous access evaluation)', async () => {
    expect(await outcome(verify, await entra.sign(good({ iat: now() - 60, nbf: now() - 60, exp: now() - 60 + 28 * HOUR })))).toEqual({
      status: 200,
    });
  });

  it('requires the scope it is told to, when the tab exposes another', async () => {
    const other = createTabTokenVerifier(options({ requiredScope: 'dashboard.read' }));
    expect((await outcome(other, await entra.sign(good({ scp: 'dashboard.read' })))).status).toBe(200);
    expect((await outcome(other, await entra.sign(good()))).status).toBe(401);
  });
});

describe('the tab answers 503 when it cannot fetch the keys to check a token', () => {
  let entra: EntraStandIn;
  const good = () => entra.claims(PERSON);
  const verifierFor = (jwksUrl: string) =>
    createTabTokenVerifier({ clientId: CLIENT_ID, jwksUrl, allowedTenantIds: [TENANT], jwksTimeoutMs: 100 });

  beforeAll(async () => {
    entra = await startEntraStandIn({ clientId: CLIENT_ID, tenantId: TENANT });
  });
  afterAll(async () => {
    entra.setMode('up');
    await entra?.close();
  });

  /** An address where nothing listens: the connection is refused. */
  const refusingUrl = async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
    return `http://127.0.0.1:${port}/discovery/v2.0/keys`;
  };

  it('when the key endpoint refuses the connection', async () => {
    const answer = await outcome(verifierFor(await refusingUrl()), await entra.sign(good()));
    expect(answer.status).toBe(503);
    expect(answer.message).toMatch(/try again/i);
  });

  it('when the key endpoint does not answer (timeout)', async () => {
    entra.setMode('hang');
    try {
      const answer = await outcome(verifierFor(entra.url), await entra.sign(good()));
      expect(answer.status).toBe(503);
    } finally {
      entra.setMode('up');
    }
  }, 10_000);

  it('when the key endpoint answers with a server error, and 200 once it is back', async () => {
    const verify = verifierFor(entra.url);
    const token = await entra.sign(good());
    entra.setMode('error');
    expect((await outcome(verify, token)).status).toBe(503);
    entra.setMode('up');
    expect((await outcome(verify, token)).status).toBe(200);
  });

  it('still answers 401 to tokens it can refuse without the keys, and to forgeries once the keys are back', async () => {
    const verify = verifierFor(await refusingUrl());
    const signed = await entra.sign(good());
    expect((await outcome(verify, 'not.a.token')).status).toBe(401);
    expect((await outcome(verify, await entra.sign(good(), { kid: '' }))).status).toBe(401);
    expect(
      (await outcome(verify, await entra.sign(good(), { alg: 'HS256', key: new TextEncoder().encode(entra.publicKeyPem) }))).status,
    ).toBe(401);
    const up = verifierFor(entra.url);
    expect((await outcome(up, `${signed.slice(0, -4)}AAAA`)).status).toBe(401);
    expect((await outcome(up, await entra.sign(good(), { kid: 'not-published' }))).status).toBe(401);
  });
});

describe("the dashboard API when Entra's keys cannot be fetched", () => {
  let entra: EntraStandIn;
  let services: Services;
  let http: ListeningServer;
  beforeAll(async () => {
    entra = await startEntraStandIn({ clientId: CLIENT_ID, tenantId: TENANT });
    entra.setMode('error');
    services = await composeServices(
      readConfig({
        LOG_LEVEL: 'silent',
        PLAYGROUND: 'off',
        TAB_SSO_CLIENT_ID: CLIENT_ID,
        TAB_SSO_JWKS_URL: entra.url,
        ALLOWED_TENANT_IDS: TENANT,
      }),
      { db: await openPgliteSchema() },
    );
    http = await listenOnLoopback(services.http);
  });
  afterAll(async () => {
    await http?.close();
    await services?.close();
    await entra?.close();
  });

  it('answers a good sign-in with 503 and a short message, not a "sign in again" 401', async () => {
    const token = await entra.sign(entra.claims(PERSON));
    const res = await fetch(`${http.origin}/api/tab/cases`, { headers: { Authorization: `Bearer ${token}` } });
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(text)).toEqual({ error: expect.stringMatching(/try again/i) });
    expect(text).not.toContain(token.split('.')[1]!.slice(0, 16));
  });
});
