import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import {
  FORGED_CHANNEL_TOKENS,
  type ForgedChannelToken,
  GUARD_FORGED_CHANNEL_TOKENS,
  type GuardForgedChannelToken,
  TEST_APP_ID,
  TEST_TENANT_ID,
} from '../support/botframework/localIdentityProvider.ts';
import { postActivity } from '../support/botframework/postActivity.ts';
import { adaptiveCardExecute, botAddedToTeam, personalMessage } from '../support/botframework/teamsActivities.ts';
import { CHANNEL, PEOPLE, startTeamsHarness, TEAM, type TeamsHarness } from '../support/teamsHarness.ts';

async function counts(h: TeamsHarness) {
  const n = async (table: string) => (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  return {
    cases: await n('cases'),
    votes: await n('votes'),
    audit: await n('audit_log'),
    people: await n('people'),
    channels: await n('conversation_refs'),
  };
}

describe('forged or malformed bot tokens', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignRole(h.db, { role: 'dsp', scope: 'police', userId: PEOPLE.policeDsp.aadObjectId });
  });
  afterAll(async () => h.close());

  const activities = () =>
    [
      [
        'a referral submission',
        adaptiveCardExecute({
          serviceUrl: h.connector.serviceUrl,
          bot: h.botAccount,
          from: { ...PEOPLE.referrer },
          tenantId: TEST_TENANT_ID,
          verb: 'referral.open',
          data: {},
          conversationType: 'personal',
        }),
      ],
      [
        'a message',
        personalMessage('new referral', {
          serviceUrl: h.connector.serviceUrl,
          bot: h.botAccount,
          from: { ...PEOPLE.referrer },
          tenantId: TEST_TENANT_ID,
        }),
      ],
      [
        'an installation',
        botAddedToTeam({
          serviceUrl: h.connector.serviceUrl,
          bot: h.botAccount,
          from: { ...PEOPLE.manager },
          tenantId: TEST_TENANT_ID,
          team: TEAM,
          channel: CHANNEL,
        }),
      ],
    ] as const;

  // Both lists: those botbuilder alone also looks at, and the lifetime, iat and key-withdrawal ones only the guard checks.
  const forged = { ...FORGED_CHANNEL_TOKENS, ...GUARD_FORGED_CHANNEL_TOKENS };
  for (const variant of Object.keys(forged) as (ForgedChannelToken | GuardForgedChannelToken)[]) {
    it(`refuses ${forged[variant]} (${variant}) with 401, changing nothing and sending nothing`, async () => {
      const before = await counts(h);
      h.connector.reset();
      for (const [, activity] of activities()) {
        const authorization = await h.identity.forgedAuthorization(variant, {
          appId: TEST_APP_ID,
          serviceUrl: h.connector.serviceUrl,
          tenantId: TEST_TENANT_ID,
        });
        const res = await postActivity(h.bot.origin, activity, authorization === undefined ? {} : { authorization });
        expect(res.status).toBe(401);
        expect(JSON.stringify(res.body ?? '')).not.toMatch(/stack|jwt|token/i);
      }
      await h.settle();
      expect(await counts(h)).toEqual(before);
      expect(h.connector.requests).toEqual([]);
    });
  }

  it('accepts the same activities with a valid token (so the refusals above are about the tokens)', async () => {
    for (const [, activity] of activities()) expect((await h.send(activity)).status).toBe(200);
  });

  it('refuses a token for a channel the bot does not serve', async () => {
    const activity = {
      ...personalMessage('hello', {
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.referrer },
        tenantId: TEST_TENANT_ID,
      }),
      channelId: 'webchat',
    };
    const token = await h.identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: h.connector.serviceUrl });
    expect((await postActivity(h.bot.origin, activity, { token })).status).toBe(401);
  });
});
