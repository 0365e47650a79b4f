// Text a person typed that cannot be stored (a NUL character, half of an emoji) is refused where it
// comes in, naming the field and the character, with what they typed kept in the form. Before, the
// database refused it mid-transaction: "Sorry, that did not work", and the database's error in the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM, sampleReferral } from '../support/fixtures.ts';
import {
  assignTestDsps,
  CHANNEL,
  installInTestTeam,
  PEOPLE,
  type PersonKey,
  startTeamsHarness,
  TEAM,
  type TeamsHarness,
} from '../support/teamsHarness.ts';
import { rowCounts } from './support/otherTenantReplays.ts';

type InvokeBody = { statusCode: number; value: Record<string, unknown> };

/** The Input.* elements of a card, by id, with their values. */
function inputsOf(card: unknown): Map<string, unknown> {
  const found = new Map<string, unknown>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string') found.set(n.id, n.value);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('typed text that cannot be stored', () => {
  let h: TeamsHarness;
  let caseId: string;
  const invoke = async (who: PersonKey, verb: string, data: Record<string, unknown>, conversationType: 'personal' | 'channel') => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE[who] },
        tenantId: TEST_TENANT_ID,
        verb,
        data,
        conversationType,
        team: TEAM,
        channel: CHANNEL,
      }),
    );
    expect(res.status).toBe(200);
    return res.body as InvokeBody;
  };

  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await installInTestTeam(h);
    caseId = (await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id;
    // Each person's first activity records them (people): done here, so the tests count only what the refusals write.
    for (const who of ['referrer', 'policeDsp'] as const) await invoke(who, 'referral.open', {}, 'personal');
    await h.settle();
  });
  afterAll(async () => h?.close());

  it.each([
    {
      what: 'a NUL character',
      field: 'narrative_whatHappened',
      typed: 'A fictional incident\u0000 with a NUL in it.',
      said: 'contains a NUL character (U+0000), which cannot be stored',
    },
    {
      what: 'an unpaired surrogate',
      field: 'referrer_agency',
      typed: 'Example School \uD83D',
      said: 'contains a broken character (an unpaired surrogate, U+D83D), which cannot be stored',
    },
  ])('refuses a referral with $what, naming the field, keeping what was typed and opening no case', async ({ field, typed, said }) => {
    const before = await rowCounts(h.db);
    const body = await invoke('referrer', 'referral.submit', { ...REFERRAL_FORM, [field]: typed }, 'personal');
    const text = JSON.stringify(body.value);
    expect(text).toContain('"verb":"referral.submit"');
    expect(text).toContain(said);
    expect(text).not.toContain('Sorry, that did not work');
    expect(inputsOf(body.value).get(field)).toBe(typed);
    expect(inputsOf(body.value).get('child_name')).toBe(REFERRAL_FORM.child_name);
    await h.settle();
    expect(await rowCounts(h.db)).toEqual(before);
  });

  it.each([
    {
      what: 'a NUL character',
      typed: 'Notify: the criteria are met\u0000 (fictional).',
      said: 'Rationale: contains a NUL character (U+0000)',
    },
    {
      what: 'an unpaired surrogate',
      typed: 'Notify \uDE00 (fictional).',
      said: 'Rationale: contains a broken character (an unpaired surrogate, U+DE00)',
    },
  ])('refuses a vote whose rationale holds $what, keeping the decision and rationale typed', async ({ typed, said }) => {
    const before = await rowCounts(h.db);
    const body = await invoke('policeDsp', 'case.vote', { caseId, agency: 'police', decision: 'notify', rationale: typed }, 'channel');
    // Card text escapes Markdown ("\\(" for "("): read it as a person would.
    const text = JSON.stringify(body.value).replaceAll('\\\\', '');
    expect(text).toContain('Your vote was not recorded');
    expect(text).toContain(said);
    const inputs = inputsOf(body.value);
    expect(inputs.get('rationale')).toBe(typed);
    expect(inputs.get('decision')).toBe('notify');
    await h.settle();
    expect(await rowCounts(h.db)).toEqual(before);
  });

  it('still records the same vote once the character is gone (so the refusal was about it)', async () => {
    const body = await invoke(
      'policeDsp',
      'case.vote',
      { caseId, agency: 'police', decision: 'notify', rationale: 'Notify: the criteria are met (fictional).' },
      'channel',
    );
    expect(JSON.stringify(body.value)).toContain('Your vote for Police is recorded.');
  });
});
