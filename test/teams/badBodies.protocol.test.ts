// Bodies at /api/messages that are not activities get a short 4xx answer, never a stack trace, and
// change nothing. Authentication stays on: the token is valid, so the answers are about the bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_APP_ID, TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { personalMessage } from '../support/botframework/teamsActivities.ts';
import { PEOPLE, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.ts';

describe('bodies that are not activities', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(async () => h.close());

  async function post(body: string): Promise<{ status: number; text: string; type: string | null }> {
    const token = await h.identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: h.connector.serviceUrl });
    const response = await fetch(`${h.bot.origin}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
  }

  const auditRows = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]!.n;

  it.each([
    { what: 'an activity without a type', rawBody: JSON.stringify({ serviceUrl: 'placeholder', channelId: 'msteams', text: 'new referral' }), status: 400, message: 'not a Bot Framework activity: it needs a type' },
    { what: 'broken JSON', rawBody: '{"type": "message", ', status: 400, message: 'the body is not valid JSON' },
    { what: 'a body over 512 kB', rawBody: JSON.stringify({ type: 'message', text: 'x'.repeat(600 * 1024) }), status: 413, message: 'the body is too large' },
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

  it('still answers a real activity with 200 (so the refusals above are about the bodies)', async () => {
    const activity = personalMessage('hello', { serviceUrl: h.connector.serviceUrl, bot: h.botAccount, from: { ...PEOPLE.referrer }, tenantId: TEST_TENANT_ID });
    expect((await h.send(activity)).status).toBe(200);
  });
});
