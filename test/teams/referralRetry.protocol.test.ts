import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM } from '../support/fixtures.ts';
import { assignTestDsps, CHANNEL, installInTestTeam, PEOPLE, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.ts';

const FORM = REFERRAL_FORM;

/** A referral submission sent again after its answer was lost is one case; a new click is a new referral. */
describe('a referral form submitted twice', () => {
  let h: TeamsHarness;
  const cases = async () =>
    (await h.db.query<{ reference: string }>('SELECT reference FROM cases ORDER BY reference')).rows.map((r) => r.reference);
  const text = (body: unknown) => JSON.stringify((body as { value: unknown }).value);

  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignTestDsps(h);
    await installInTestTeam(h);
  });
  afterAll(async () => h.close());

  it('opens one case when the same request arrives again (a retry), and answers both with its receipt', async () => {
    const activity = adaptiveCardExecute({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.referrer },
      tenantId: TEST_TENANT_ID,
      verb: 'referral.submit',
      data: FORM,
      conversationType: 'personal',
    });
    const [first, second] = await Promise.all([h.send(activity), h.send(activity)]);
    expect(text(first.body)).toContain('HSSCP-2026-0001');
    expect(text(second.body)).toContain('HSSCP-2026-0001');
    expect(await cases()).toEqual(['HSSCP-2026-0001']);
    await h.settle();
    // Announced once: one thread started for it in the channel.
    expect(
      h.connector.requests.filter((r) => r.route === 'createConversation' && JSON.stringify(r.body).includes(CHANNEL.id)),
    ).toHaveLength(1);
    const audit = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'referral_submitted'`);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('opens a new case for a new submission of the same form (a new click is a new activity)', async () => {
    const again = adaptiveCardExecute({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.referrer },
      tenantId: TEST_TENANT_ID,
      verb: 'referral.submit',
      data: FORM,
      conversationType: 'personal',
    });
    expect(text((await h.send(again)).body)).toContain('HSSCP-2026-0002');
    expect(await cases()).toEqual(['HSSCP-2026-0001', 'HSSCP-2026-0002']);
  });
});
