// Bodies at /api/messages that are not activities get a short 4xx answer, never a stack trace, and
// change nothing. Authentication stays on: the token is valid, so the answers are about the bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectorErrors } from '../support/botframework/botConnectorStandIn.ts';
import { TEST_APP_ID, TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute, personalMessage } from '../support/botframework/teamsActivities.ts';
import { PEOPLE, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.ts';
import { rowCounts } from './support/otherTenantReplays.ts';

describe('bodies that are not activities', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(async () => h.close());

  async function post(body: string): Promise<{ status: number; text: string; type: string | null }> {
    const token = await h.identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: h.connector.serviceUrl });
    const response = await fetch(`${h.bot.origin}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
  }

  const auditRows = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]!.n;

  it.each([
    {
      what: 'an activity without a type',
      rawBody: JSON.stringify({ serviceUrl: 'placeholder', channelId: 'msteams', text: 'new referral' }),
      status: 400,
      message: 'not a Bot Framework activity: it needs a type',
    },
    { what: 'broken JSON', rawBody: '{"type": "message", ', status: 400, message: 'the body is not valid JSON' },
    {
      what: 'a body over 512 kB',
      rawBody: JSON.stringify({ type: 'message', text: 'x'.repeat(600 * 1024) }),
      status: 413,
      message: 'the body is too large',
    },
  ])('answers $what with $status and a short message', async ({ rawBody, status, message }) => {
    const before = await auditRows();
    h.connector.reset();
    const body = rawBody.replace('"placeholder"', JSON.stringify(h.connector.serviceUrl));
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.type).toMatch(/application\/json/);
    expect(JSON.parse(res.text)).toEqual({ error: message });
    expect(res.text).not.toMatch(/at .*\.ts|stack|node_modules/);
    await h.settle();
    expect(await auditRows()).toBe(before);
    expect(h.connector.requests).toEqual([]);
  });

  // Activities with a valid token whose fields the bot reads have the wrong shape: a short 4xx, no row
  // written, nothing echoed (before, these gave a 500 echoing a serialisation error after a row was
  // written, or botbuilder's 501).
  const malformed: { what: string; make: () => Record<string, unknown>; message: string }[] = [
    {
      what: 'a message whose from.aadObjectId is an object',
      make: () => ({
        ...personalMessage('new referral', { serviceUrl: h.connector.serviceUrl, bot: h.botAccount, tenantId: TEST_TENANT_ID }),
        from: { id: '29:test-referrer', name: 'Test Referrer', aadObjectId: { $ne: null } },
      }),
      message: 'not a Teams activity this bot can read',
    },
    {
      what: 'a card action invoke whose value is a string',
      make: () => ({ ...card('case.refresh'), value: 'case.refresh' }),
      message: 'not a card action this bot can read',
    },
    {
      what: 'a card action invoke whose data is an array',
      make: () => {
        const a = card('case.refresh') as unknown as { value: { action: Record<string, unknown> } };
        a.value.action.data = ['x'];
        return a as unknown as Record<string, unknown>;
      },
      message: 'not a card action this bot can read',
    },
    {
      what: 'an invoke this bot does not handle (task/fetch)',
      make: () => ({ ...card('case.refresh'), name: 'task/fetch' }),
      message: 'this bot does not handle that invoke',
    },
    {
      what: 'an invoke with no name',
      make: () => {
        const a = card('case.refresh') as unknown as Record<string, unknown>;
        delete a.name;
        return a;
      },
      message: 'this bot does not handle that invoke',
    },
    {
      what: 'an activity with no conversation',
      make: () => {
        const a = personalMessage('hello', {
          serviceUrl: h.connector.serviceUrl,
          bot: h.botAccount,
          from: { ...PEOPLE.referrer },
          tenantId: TEST_TENANT_ID,
        }) as unknown as Record<string, unknown>;
        delete a.conversation;
        return a;
      },
      message: 'not a Teams activity this bot can read',
    },
  ];
  const card = (verb: string) =>
    adaptiveCardExecute({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.referrer },
      tenantId: TEST_TENANT_ID,
      verb,
      data: {},
      conversationType: 'personal',
    }) as unknown as Record<string, unknown>;

  it.each(malformed)('answers $what with 400 and a short message, writing nothing', async ({ make, message }) => {
    const before = await rowCounts(h.db);
    h.connector.reset();
    const res = await post(JSON.stringify(make()));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: message });
    await h.settle();
    expect(await rowCounts(h.db)).toEqual(before);
    expect(h.connector.requests).toEqual([]);
  });

  it("answers 200 without the connector's words when the connector refuses both the reply and the apology", async () => {
    h.connector.reset();
    // A 403 (the bot is not in the conversation) is not retried by the connector client: one try each.
    for (const route of ['replyToActivity', 'sendToConversation'] as const)
      h.connector.failNext(route, connectorErrors.botNotInConversationRoster(), { times: 2 });
    const res = await post(
      JSON.stringify(
        personalMessage('hello', {
          serviceUrl: h.connector.serviceUrl,
          bot: h.botAccount,
          from: { ...PEOPLE.referrer },
          tenantId: TEST_TENANT_ID,
        }),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/roster|BotNotInConversationRoster|403/);
    // The reply and the apology were both tried (and refused).
    expect(h.connector.requests.filter((r) => r.status === 403)).toHaveLength(2);
  });

  it('still answers a real activity with 200 (so the refusals above are about the bodies)', async () => {
    const activity = personalMessage('hello', {
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.referrer },
      tenantId: TEST_TENANT_ID,
    });
    expect((await h.send(activity)).status).toBe(200);
  });
});
