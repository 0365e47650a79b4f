// A card action that fails says only what is true (issue #14 item 9): "Nothing was changed" when it
// failed before anything was committed; "Your change was recorded, but the card could not be shown"
// when the use case committed and drawing the answer failed; "it may have been recorded" part-way
// through a use case that commits in steps. Before, every unexpected error said "Nothing was changed",
// even after a vote was recorded. The failures are injected where cards are drawn and use cases run
// (test-only module mocks); everything else is the real service over the Bot Framework protocol.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { listVotes } from '../../src/adapters/store/voteRepository.ts';
import { CardTemplateError } from '../../src/app/cards/cardTemplates.ts';
import type * as AlertActions from '../../src/app/deadlines/alertActions.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import type * as CaseView from '../../src/app/teams/actions/caseView.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { sampleReferral } from '../support/fixtures.ts';
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

const inject = vi.hoisted(() => ({ caseViewFails: false, acknowledgeFails: false }));

// Drawing the case card as the clicker sees it: throws as a broken card template would.
vi.mock('../../src/app/teams/actions/caseView.ts', async (importOriginal) => {
  const original = await importOriginal<typeof CaseView>();
  return {
    ...original,
    caseViewFor: async (...args: Parameters<typeof original.caseViewFor>) => {
      if (inject.caseViewFails) throw new CardTemplateError('card caseCard: unbound ${notice} (injected by the test)');
      return original.caseViewFor(...args);
    },
  };
});

// A use case that commits and then draws its own card: here it fails without saying how far it got.
vi.mock('../../src/app/deadlines/alertActions.ts', async (importOriginal) => {
  const original = await importOriginal<typeof AlertActions>();
  return {
    ...original,
    acknowledgeAlert: async (...args: Parameters<typeof original.acknowledgeAlert>) => {
      if (inject.acknowledgeFails) throw new CardTemplateError('card alertCard: unbound ${notice} (injected by the test)');
      return original.acknowledgeAlert(...args);
    },
  };
});

type InvokeBody = { statusCode: number; value: Record<string, unknown> };

describe('what a failed card action says', () => {
  let h: TeamsHarness;
  let caseId: string;

  const invoke = async (who: PersonKey, verb: string, data: Record<string, unknown>) => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE[who] },
        tenantId: TEST_TENANT_ID,
        verb,
        data,
        conversationType: 'channel',
        team: TEAM,
        channel: CHANNEL,
      }),
    );
    expect(res.status).toBe(200);
    return JSON.stringify((res.body as InvokeBody).value);
  };

  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignTestDsps(h);
    await installInTestTeam(h);
    caseId = (await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId)).case.id;
    // Each person's first activity records them (people): done here, so the tests count only what the actions write.
    for (const who of ['policeDsp', 'laDsp', 'healthDsp'] as const) await invoke(who, 'case.refresh', { caseId });
    await h.settle();
  });
  afterAll(async () => {
    inject.caseViewFails = false;
    inject.acknowledgeFails = false;
    await h?.close();
  });

  it('says "Nothing was changed" when the failure came before anything was committed (a refused vote whose card fails)', async () => {
    const before = await rowCounts(h.db);
    inject.caseViewFails = true;
    const text = await invoke('policeDsp', 'case.vote', {
      caseId,
      agency: 'police',
      decision: 'not_a_decision',
      rationale: 'Fictional.',
    }).finally(() => (inject.caseViewFails = false));
    expect(text).toContain('Sorry, that did not work');
    expect(text).toContain('Nothing was changed. Please try again');
    expect(text).not.toContain('recorded');
    await h.settle();
    expect(await rowCounts(h.db)).toEqual(before);
    expect(await listVotes(h.db, caseId)).toEqual([]);
  });

  it('says the change was recorded when the vote committed and only its card failed, and still delivers what it queued', async () => {
    h.connector.reset();
    inject.caseViewFails = true;
    const text = await invoke('laDsp', 'case.vote', {
      caseId,
      agency: 'local_authority',
      decision: 'notify',
      rationale: 'Local authority (fictional).',
    }).finally(() => (inject.caseViewFails = false));
    expect(text).toContain('Recorded, but the card could not be shown');
    expect(text).toContain('Your change was recorded, but the card could not be shown: refresh the case card.');
    expect(text).not.toContain('Nothing was changed');
    expect((await listVotes(h.db, caseId)).map((v) => [v.agency, v.decision])).toEqual([['local_authority', 'notify']]);
    // The case card's refresh was queued with the vote: the sender was woken and delivered it.
    await h.settle();
    expect(h.connector.requests.filter((r) => r.method === 'PUT').length).toBeGreaterThan(0);
    // And the case card shows again once asked.
    expect(await invoke('laDsp', 'case.refresh', { caseId })).toContain('Change my vote');
  });

  it('says it may have been recorded when a use case that commits in steps fails part-way', async () => {
    inject.acknowledgeFails = true;
    const text = await invoke('policeDsp', 'alert.ack', { alertId: '00000000-0000-4000-8000-00000000a1e7' }).finally(
      () => (inject.acknowledgeFails = false),
    );
    expect(text).toContain('Sorry, that did not finish');
    expect(text).toContain('It may have been recorded before the problem');
    expect(text).not.toContain('Nothing was changed');
  });

  it('answers card data its action cannot read with a card naming the field, and a bad id with "Not found", writing nothing', async () => {
    const before = await rowCounts(h.db);
    const wrongType = await invoke('healthDsp', 'case.vote', { caseId, agency: 'health', decision: 'notify', rationale: 42 });
    expect(wrongType).toContain('This card could not be read');
    expect(wrongType).toContain('rationale: Invalid input: expected string, received number');
    expect(wrongType).toContain('Nothing was recorded');
    const badId = await invoke('healthDsp', 'case.vote', {
      caseId: 'HSSCP-2026-0001',
      agency: 'health',
      decision: 'notify',
      rationale: 'Fictional.',
    });
    expect(badId).toContain(
      'This card refers to something this partnership does not have. It may be from an older version: open the case again. Nothing was recorded.',
    );
    await h.settle();
    expect(await rowCounts(h.db)).toEqual(before);
  });

  it('still answers a refusal with its own card, saying nothing was recorded, when nothing fails', async () => {
    const text = await invoke('policeDsp', 'case.vote', {
      caseId,
      agency: 'local_authority',
      decision: 'notify',
      rationale: 'Not my agency (fictional).',
    });
    expect(text).toContain('Your vote was not recorded: only the local authority DSP can vote for that agency');
    expect(text).not.toContain('Sorry');
  });
});
