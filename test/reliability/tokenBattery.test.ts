import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import {
  BOT_FRAMEWORK_ISSUER,
  FORGED_CHANNEL_TOKENS,
  type ForgedChannelToken,
  GUARD_FORGED_CHANNEL_TOKENS,
  type GuardForgedChannelToken,
  TEST_APP_ID,
  TEST_TENANT_ID,
} from '../support/botframework/localIdentityProvider.ts';
import { postActivity } from '../support/botframework/postActivity.ts';
import { adaptiveCardExecute, botAddedToTeam, personalMessage } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM, sampleReferral } from '../support/fixtures.ts';
import { assignTestDsps, CHANNEL, installInTestTeam, PEOPLE, startTeamsHarness, TEAM, type TeamsHarness } from '../support/teamsHarness.ts';
import { otherTenantReplays } from '../teams/support/otherTenantReplays.ts';
import { type EntraStandIn, startEntraStandIn } from './support/tokensEntra.ts';

/**
 * One battery of forged and malformed tokens against both doors of the service: the bot endpoint
 * (/api/messages, Bot Framework channel tokens) and the dashboard API (/api/tab/*, Teams SSO tokens).
 * Every one is refused with 401 (a good token from another organisation, or for someone with no role,
 * is 403), and across the whole battery nothing is written and nothing is sent.
 */

// Obviously fictional: the tab's Entra app and another organisation's tenant.
const TAB_CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const OTHER_TENANT = '00000000-0000-4000-8000-00000000e7a2';
/** A client application that is neither Teams nor Microsoft 365 (fictional). */
const OTHER_CLIENT = '00000000-0000-4000-8000-0000000c1e47';
const TABLES = [
  'cases',
  'case_events',
  'votes',
  'audit_log',
  'outbox',
  'people',
  'conversation_refs',
  'role_assignments',
  'case_messages',
] as const;

const FORM = REFERRAL_FORM;

describe('a battery of forged or malformed bot and tab tokens: every one gets 401, and nothing changes', () => {
  let h: TeamsHarness;
  let entra: EntraStandIn;
  let caseId: string;
  let before: Record<string, number>;
  const botTable: { kind: string; statuses: number[] }[] = [];
  const tabTable: { kind: string; statuses: number[] }[] = [];

  const counts = async () => {
    const result: Record<string, number> = {};
    for (const table of TABLES) result[table] = (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
    return result;
  };

  /** What each forged bot token is tried on: a vote, a referral submission, a message and an installation. */
  const botActivities = () => [
    adaptiveCardExecute({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.healthDsp },
      tenantId: TEST_TENANT_ID,
      verb: 'case.vote',
      data: { caseId, agency: 'health', decision: 'notify', rationale: 'Forged (fictional).' },
      conversationType: 'channel',
      team: TEAM,
      channel: CHANNEL,
    }),
    adaptiveCardExecute({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.referrer },
      tenantId: TEST_TENANT_ID,
      verb: 'referral.submit',
      data: FORM,
      conversationType: 'personal',
    }),
    personalMessage('new referral', {
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.referrer },
      tenantId: TEST_TENANT_ID,
    }),
    botAddedToTeam({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.manager },
      tenantId: TEST_TENANT_ID,
      team: { ...TEAM, id: '19:another-team@thread.tacv2' },
      channel: { id: '19:another-channel@thread.tacv2', name: 'Elsewhere' },
    }),
  ];

  /** Tab requests: a read, and the CSV export (which audits every export, so a write). */
  const TAB_PATHS = ['/api/tab/cases', '/api/tab/export.csv', `/api/tab/me`] as const;
  const getTab = async (path: string, authorization: string | undefined) => {
    const res = await fetch(`${h.bot.origin}${path}`, authorization === undefined ? {} : { headers: { Authorization: authorization } });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    entra = await startEntraStandIn({ clientId: TAB_CLIENT_ID, tenantId: TEST_TENANT_ID });
    h = await startTeamsHarness({ env: { TAB_SSO_CLIENT_ID: TAB_CLIENT_ID, TAB_SSO_JWKS_URL: entra.url, PLAYGROUND: 'off' } });
    await assignTestDsps(h);
    await assignRole(h.db, {
      role: 'business_manager',
      scope: '',
      userId: PEOPLE.manager.aadObjectId,
      displayName: 'Test Business Manager',
    });
    await installInTestTeam(h);
    caseId = (await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id;
    await castVote(
      h.services.ctx,
      { caseId, agency: 'police', decision: 'notify', rationale: 'Fictional police rationale.' },
      PEOPLE.policeDsp.aadObjectId,
    );
    await h.settle();
    h.connector.reset();
    before = await counts();
  });
  afterAll(async () => {
    await h?.close();
    await entra?.close();
  });

  it('refuses every forged or malformed bot token with 401, before the bot sees the activity', async () => {
    const forgedByProvider = { ...FORGED_CHANNEL_TOKENS, ...GUARD_FORGED_CHANNEL_TOKENS };
    const channelToken = () => h.identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: h.connector.serviceUrl });
    const forged: [string, () => Promise<string | undefined>, ((a: Record<string, unknown>) => Record<string, unknown>)?][] = [
      // The kinds the local identity provider forges (test/teams/forgedTokens.protocol.test.ts): those
      // botbuilder alone also checks, and the lifetime, iat and withdrawn-key ones only the guard checks.
      ...(Object.keys(forgedByProvider) as (ForgedChannelToken | GuardForgedChannelToken)[]).map(
        (variant): [string, () => Promise<string | undefined>] => [
          `${variant}: ${forgedByProvider[variant]}`,
          () =>
            h.identity.forgedAuthorization(variant, { appId: TEST_APP_ID, serviceUrl: h.connector.serviceUrl, tenantId: TEST_TENANT_ID }),
        ],
      ),
      // And a few more.
      ['empty bearer', async () => 'Bearer '],
      ['a good channel token under another scheme (Basic)', async () => `Basic ${await channelToken()}`],
      ['a good channel token, lower-case "bearer" and a trailing word', async () => `bearer ${await channelToken()} extra`],
      [
        'a Teams SSO token for the tab (Entra-signed) sent to the bot',
        async () => `Bearer ${await entra.sign(entra.claims(PEOPLE.manager.aadObjectId))}`,
      ],
      [
        'a Teams SSO token re-addressed to the bot app id',
        async () => `Bearer ${await entra.sign(entra.claims(PEOPLE.manager.aadObjectId, { aud: TEST_APP_ID }))}`,
      ],
      [
        'a good channel token on an activity from another channel (webchat)',
        async () => `Bearer ${await channelToken()}`,
        (a) => ({ ...a, channelId: 'webchat' }),
      ],
    ];
    expect(forged.length).toBeGreaterThanOrEqual(12);
    for (const [kind, authorization, reshape] of forged) {
      const statuses: number[] = [];
      for (const activity of botActivities()) {
        const header = await authorization();
        const body = reshape ? reshape(activity as unknown as Record<string, unknown>) : activity;
        const res = await postActivity(h.bot.origin, body, header === undefined ? {} : { authorization: header });
        statuses.push(res.status);
        expect(JSON.stringify(res.body ?? '')).not.toMatch(/stack|jwt|token|HSSCP-/i);
      }
      botTable.push({ kind, statuses });
    }
    await h.settle();
    console.log(
      `[tokenBattery] /api/messages: ${botTable.length} kinds x ${botActivities().length} activities (vote, referral submission, message, installation)\n${botTable.map((r) => `  ${r.statuses.join('/')}  ${r.kind}`).join('\n')}`,
    );
    expect(botTable.filter((r) => r.statuses.some((s) => s !== 401))).toEqual([]);
  });

  it('refuses every forged or malformed Teams SSO token on the dashboard API with 401', async () => {
    const manager = PEOPLE.manager.aadObjectId;
    const good = (overrides: Record<string, unknown> = {}) => entra.claims(manager, overrides);
    const now = Math.floor(Date.now() / 1000);
    const bearer = async (token: Promise<string> | string) => `Bearer ${await token}`;
    const forged: [string, () => Promise<string | undefined>][] = [
      ['no Authorization header', async () => undefined],
      ['empty bearer', async () => 'Bearer '],
      ['garbage bearer', async () => 'Bearer not.a.token'],
      ['a good token under another scheme (Basic)', async () => `Basic ${await entra.sign(good())}`],
      [
        'alg none (unsigned) naming the published kid',
        async () => {
          const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
          return `Bearer ${part({ alg: 'none', typ: 'JWT', kid: 'entra-test-key' })}.${part(good())}.`;
        },
      ],
      [
        'HS256 signed with the published RSA public key as the secret',
        () => bearer(entra.sign(good(), { alg: 'HS256', key: new TextEncoder().encode(entra.publicKeyPem) })),
      ],
      ['a kid Entra does not publish', () => bearer(entra.sign(good(), { kid: 'not-published' }))],
      ["signed with Entra's key but naming no kid", () => bearer(entra.sign(good(), { kid: '' }))],
      [
        'a key Entra did not publish, under the published kid',
        async () => bearer(entra.sign(good(), { key: (await generateKeyPair('RS256')).privateKey })),
      ],
      [
        'an ES256 key Entra did not publish, under the published kid',
        async () => bearer(entra.sign(good(), { alg: 'ES256', key: (await generateKeyPair('ES256')).privateKey })),
      ],
      [
        'payload changed after signing (oid swapped)',
        async () => {
          const [header, , signature] = (await entra.sign(good({ oid: '00000000-0000-4000-8000-00000000b004' }))).split('.');
          return `Bearer ${header}.${Buffer.from(JSON.stringify(good())).toString('base64url')}.${signature}`;
        },
      ],
      ['expired beyond the five-minute skew', () => bearer(entra.sign(good({ iat: now - 7200, nbf: now - 7200, exp: now - 600 })))],
      ['not yet valid (nbf beyond the skew)', () => bearer(entra.sign(good({ nbf: now + 1800, exp: now + 7200 })))],
      ['no exp', () => bearer(entra.sign(good({ exp: undefined })))],
      ['wrong audience (another app)', () => bearer(entra.sign(good({ aud: '99999999-2222-4333-8444-555555555555' })))],
      ['wrong issuer', () => bearer(entra.sign(good({ iss: 'https://login.microsoftonline.com.attacker.example/v2.0' })))],
      [
        'issuer of another tenant than the tid claim',
        () => bearer(entra.sign(good({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }))),
      ],
      ['no tid', () => bearer(entra.sign(good({ tid: undefined })))],
      ['no oid', () => bearer(entra.sign(good({ oid: undefined })))],
      [
        'a token meant for the bot: Bot Framework issuer, the bot app id, Entra-signed',
        () => bearer(entra.sign(good({ iss: BOT_FRAMEWORK_ISSUER, aud: TEST_APP_ID, serviceurl: h.connector.serviceUrl, tid: undefined }))),
      ],
      [
        'a token meant for the bot: a real channel token from the Bot Framework',
        () => bearer(h.identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: h.connector.serviceUrl })),
      ],
      [
        'a token meant for the bot, re-addressed to the tab (Bot Framework issuer, tab audience)',
        () => bearer(entra.sign(good({ iss: BOT_FRAMEWORK_ISSUER }))),
      ],
      // Entra-signed, for the tab's audience, but not a person's sign-in to the tab through Teams.
      ['no scp (the shape of an ID token)', () => bearer(entra.sign(good({ scp: undefined })))],
      [
        'an app-only token (idtyp app, roles, no scp)',
        () => bearer(entra.sign(good({ scp: undefined, idtyp: 'app', roles: ['Cases.Read.All'], azp: OTHER_CLIENT }))),
      ],
      ['an app-only token (roles, no scp, no idtyp)', () => bearer(entra.sign(good({ scp: undefined, roles: ['Cases.Read.All'] })))],
      ['marked app-only (idtyp app) though it carries the scope', () => bearer(entra.sign(good({ idtyp: 'app' })))],
      ['a scope of another API (User.Read)', () => bearer(entra.sign(good({ scp: 'User.Read' })))],
      ['a scope that only begins with access_as_user', () => bearer(entra.sign(good({ scp: 'access_as_user_admin' })))],
      ["the scope as a list, not Entra's space-separated string", () => bearer(entra.sign(good({ scp: ['access_as_user'] })))],
      ['issued to a client that is not Teams or Microsoft 365 (azp)', () => bearer(entra.sign(good({ azp: OTHER_CLIENT })))],
      ['no azp (v2) and no appid', () => bearer(entra.sign(good({ azp: undefined })))],
      [
        'a v1 token whose appid is not Teams or Microsoft 365',
        () =>
          bearer(entra.sign(good({ ver: '1.0', iss: `https://sts.windows.net/${TEST_TENANT_ID}/`, azp: undefined, appid: OTHER_CLIENT }))),
      ],
      [
        'a v1 token naming Teams only in azp (v1 tokens name the client in appid)',
        () => bearer(entra.sign(good({ ver: '1.0', iss: `https://sts.windows.net/${TEST_TENANT_ID}/` }))),
      ],
      ['a ten-year lifetime', () => bearer(entra.sign(good({ exp: now + 10 * 365 * 24 * 3600 })))],
      [
        'a 29-hour lifetime (beyond the 28 h Entra issues at most)',
        () => bearer(entra.sign(good({ iat: now - 60, nbf: now - 60, exp: now - 60 + 29 * 3600 }))),
      ],
      ['issued (iat) a day in the future', () => bearer(entra.sign(good({ iat: now + 24 * 3600 })))],
      ['no iat', () => bearer(entra.sign(good({ iat: undefined })))],
    ];
    expect(forged.length).toBeGreaterThanOrEqual(12);
    const leaks: string[] = [];
    for (const [kind, authorization] of forged) {
      const statuses: number[] = [];
      for (const path of TAB_PATHS) {
        const res = await getTab(path, await authorization());
        statuses.push(res.status);
        if (res.status !== 200) expect(JSON.parse(res.text)).toHaveProperty('error');
        leaks.push(...(/HSSCP-|stack|Alexandra/.test(res.text) ? [`${kind} on ${path}: ${res.text.slice(0, 120)}`] : []));
      }
      tabTable.push({ kind, statuses });
    }
    console.log(
      `[tokenBattery] dashboard API: ${tabTable.length} kinds x ${TAB_PATHS.join(', ')}\n${tabTable.map((r) => `  ${r.statuses.join('/')}  ${r.kind}`).join('\n')}`,
    );
    expect(tabTable.filter((r) => r.statuses.some((s) => s !== 401))).toEqual([]);
    expect(leaks).toEqual([]);
  });

  it('answers good tokens from someone it does not serve with 403: another organisation, or no partnership role', async () => {
    const refused = [
      [
        'a good token from another organisation (tenant)',
        await entra.sign(
          entra.claims(PEOPLE.manager.aadObjectId, { tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }),
        ),
      ],
      ['a good token for someone with no partnership role', await entra.sign(entra.claims(PEOPLE.outsider.aadObjectId))],
    ] as const;
    for (const [kind, token] of refused) {
      const statuses: number[] = [];
      for (const path of TAB_PATHS) {
        const res = await getTab(path, `Bearer ${token}`);
        statuses.push(res.status);
        expect(res.text).not.toContain('HSSCP-');
      }
      console.log(`[tokenBattery] dashboard API: ${statuses.join('/')}  ${kind}`);
      expect(statuses).toEqual(TAB_PATHS.map(() => 403));
    }
  });

  it('refuses replays of a good channel token carrying another tenant\'s install, removal, "post here", message and vote with 403', async () => {
    const statuses: string[] = [];
    for (const [kind, activity] of otherTenantReplays(h, caseId)) {
      const res = await h.send(activity);
      statuses.push(`  ${res.status}  ${kind}`);
      expect(res.status, kind).toBe(403);
      expect(JSON.stringify(res.body)).not.toMatch(/HSSCP-|stack/);
    }
    console.log(`[tokenBattery] /api/messages, good token, another tenant's activity:\n${statuses.join('\n')}`);
  });

  it('changed nothing across the whole battery: no row written, no message sent', async () => {
    await h.settle();
    expect(await counts()).toEqual(before);
    expect(h.connector.requests).toEqual([]);
    console.log(`[tokenBattery] rows before and after the battery: ${JSON.stringify(before)}`);
  });

  it('accepts the same requests with good tokens (so the refusals above were about the tokens)', async () => {
    const token = await entra.sign(entra.claims(PEOPLE.manager.aadObjectId));
    for (const path of TAB_PATHS) expect((await getTab(path, `Bearer ${token}`)).status).toBe(200);
    const [vote] = botActivities();
    const res = await h.send(vote!);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toMatch(/Your vote for [^"]+ is recorded\./);
    await h.settle();
    const after = await counts();
    expect(after.votes).toBe(before.votes! + 1);
    expect(after.audit_log).toBe(before.audit_log! + 2); // the export and the vote
  });
});
