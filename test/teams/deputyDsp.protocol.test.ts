import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditEntriesForCase, verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { findCase } from '../../src/adapters/store/caseRepository.ts';
import { listDeputies } from '../../src/adapters/store/deputyRepository.ts';
import { listVotes } from '../../src/adapters/store/voteRepository.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { sampleReferral } from '../support/fixtures.ts';
import { CHANNEL, installInTestTeam, PEOPLE, type PersonKey, startTeamsHarness, TEAM, type TeamsHarness } from '../support/teamsHarness.ts';
import { testEngines } from '../support/testDatabases.ts';

/**
 * #15 item 11, deputies: Police's DSP has two named deputies in PEOPLE_FILE (fictional people), each
 * acting between two London dates, both included. Worked by hand:
 * - Test Safeguarding Lead Police acts Mon 7 Dec to Fri 18 Dec 2026 (GMT, so London = UTC): Sun 6 Dec
 *   23:59:59Z is still Sun 6 Dec in London (refused), Mon 7 Dec 00:00Z is the first day (allowed), Fri 18
 *   Dec 23:59:59Z the last (allowed), Sat 19 Dec 00:00Z the weekend after (refused).
 * - Test Outsider acts Sat 27 to Sun 28 Mar 2027. BST starts at 01:00 UTC on Sun 28 Mar, so 28 Mar
 *   22:30Z is 23:30 on Sun 28 Mar in London (allowed) and 23:30Z is 00:30 on Mon 29 Mar (refused), though
 *   both are the 28th in UTC.
 */
type InvokeBody = { statusCode: number; value: Record<string, unknown> };
const id = (who: PersonKey) => PEOPLE[who].aadObjectId;

for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`a deputy DSP votes in the DSP's place, on ${engine.name}`, () => {
    let h: TeamsHarness;
    let caseId: string;
    let reference: string;

    beforeAll(async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'people-')), 'people.json');
      writeFileSync(
        file,
        JSON.stringify({
          dsp: { local_authority: id('laDsp'), police: id('policeDsp'), health: id('healthDsp') },
          business_manager: [id('manager')],
          dsp_deputies: {
            police: [
              { id: id('policeLead'), actsFrom: '2026-12-07', actsUntil: '2026-12-18' },
              { id: id('outsider'), actsFrom: '2027-03-27', actsUntil: '2027-03-28' },
            ],
          },
        }),
      );
      h = await startTeamsHarness({ db: await engine.open(), env: { PEOPLE_FILE: file } });
      await installInTestTeam(h);
      ({
        case: { id: caseId, reference },
      } = await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId));
      await h.settle();
    });
    afterAll(async () => h?.close());

    /** A card action from `who` on the channel card at `at`: the card it answers with. */
    const act = async (who: PersonKey, at: string, verb: string, data: Record<string, unknown>) => {
      h.clock.set(at);
      const res = await h.send(
        adaptiveCardExecute({
          serviceUrl: h.connector.serviceUrl,
          bot: h.botAccount,
          from: { ...PEOPLE[who] },
          tenantId: TEST_TENANT_ID,
          conversationType: 'channel',
          team: TEAM,
          channel: CHANNEL,
          verb,
          data,
        }),
      );
      expect(res.status).toBe(200);
      await h.settle();
      return JSON.stringify((res.body as InvokeBody).value);
    };
    const vote = (who: PersonKey, at: string, decision: string, rationale: string) =>
      act(who, at, 'case.vote', { caseId, agency: 'police', decision, rationale });
    /** The case card as `who` gets it on Refresh: the vote form is offered to whoever may vote now. */
    const refreshed = (who: PersonKey, at: string) => act(who, at, 'case.refresh', { caseId });
    const policeVote = async () => (await listVotes(h.db, caseId)).find((v) => v.agency === 'police');

    it('stores the deputies PEOPLE_FILE names, with their dates', async () => {
      expect(await listDeputies(h.db, 'police')).toMatchObject([
        { userId: id('policeLead'), actsFrom: '2026-12-07', actsUntil: '2026-12-18' },
        { userId: id('outsider'), actsFrom: '2027-03-27', actsUntil: '2027-03-28' },
      ]);
    });

    it("offers a deputy the agency's vote form on their acting dates only", async () => {
      expect(await refreshed('policeLead', '2026-12-06T23:59:59Z')).not.toContain('"verb":"case.vote"');
      const acting = await refreshed('policeLead', '2026-12-07T09:00:00Z');
      expect(acting).toContain('Your decision for Police');
      expect(acting).toContain('"verb":"case.vote"');
      expect(await refreshed('policeLead', '2026-12-19T00:00:00Z')).not.toContain('"verb":"case.vote"');
    });

    it('refuses a deputy the day before they act, saying when they act and what day it is', async () => {
      const card = await vote('policeLead', '2026-12-06T23:59:59Z', 'notify', 'Deputy too early (fictional).');
      expect(card).toContain(
        'Your vote was not recorded: you act as deputy for Police from Mon 7 Dec to Fri 18 Dec 2026; today is Sun 6 Dec 2026',
      );
      expect(await policeVote()).toBeUndefined();
    });

    it('records a deputy vote on their first day, with who voted and in whose place, in the vote and the audit log', async () => {
      const card = await vote('policeLead', '2026-12-07T00:00:00Z', 'notify', 'Deputy first view (fictional).');
      expect(card).toContain('Your vote for Police is recorded.');
      expect(await policeVote()).toMatchObject({
        voterId: id('policeLead'),
        decision: 'notify',
        votedBy: { id: id('policeLead'), name: PEOPLE.policeLead.name },
        inPlaceOf: { id: id('policeDsp'), name: PEOPLE.policeDsp.name },
      });
      const cast = (await auditEntriesForCase(h.db, caseId)).filter((a) => a.action === 'vote_cast');
      expect(cast).toHaveLength(1);
      expect(cast[0]).toMatchObject({
        actor: id('policeLead'),
        details: { agency: 'police', votedBy: { id: id('policeLead') }, inPlaceOf: { id: id('policeDsp'), name: PEOPLE.policeDsp.name } },
      });
    });

    it('lets the DSP change the deputy vote, which is then theirs alone', async () => {
      const card = await vote('policeDsp', '2026-12-08T10:00:00Z', 'do_not_notify', 'DSP back (fictional).');
      expect(card).toContain('Your vote for Police is changed.');
      const v = await policeVote();
      expect(v).toMatchObject({ voterId: id('policeDsp'), decision: 'do_not_notify' });
      expect(v?.votedBy).toBeUndefined();
      expect(v?.inPlaceOf).toBeUndefined();
    });

    it('lets the deputy vote on their last day, and refuses them the Saturday after', async () => {
      expect(await vote('policeLead', '2026-12-18T23:59:59Z', 'notify', 'Deputy last day (fictional).')).toContain(
        'Your vote for Police is changed.',
      );
      expect(await policeVote()).toMatchObject({ decision: 'notify', inPlaceOf: { id: id('policeDsp') } });
      const card = await vote('policeLead', '2026-12-19T00:00:00Z', 'do_not_notify', 'Deputy too late (fictional).');
      expect(card).toContain('you act as deputy for Police from Mon 7 Dec to Fri 18 Dec 2026; today is Sat 19 Dec 2026');
      expect(await policeVote()).toMatchObject({ decision: 'notify', rationale: 'Deputy last day (fictional).' });
    });

    it('counts a deputy vote towards the decision', async () => {
      for (const [who, agency] of [
        ['laDsp', 'local_authority'],
        ['healthDsp', 'health'],
      ] as const) {
        h.clock.set('2026-12-21T10:00:00Z');
        const res = await h.send(
          adaptiveCardExecute({
            serviceUrl: h.connector.serviceUrl,
            bot: h.botAccount,
            from: { ...PEOPLE[who] },
            tenantId: TEST_TENANT_ID,
            conversationType: 'channel',
            team: TEAM,
            channel: CHANNEL,
            verb: 'case.vote',
            data: { caseId, agency, decision: 'notify', rationale: `${agency} view (fictional).` },
          }),
        );
        expect(res.status).toBe(200);
        await h.settle();
      }
      expect((await findCase(h.db, caseId))?.stage).not.toBe('dsp_decision');
      expect((await auditEntriesForCase(h.db, caseId)).some((a) => a.action === 'decision_made')).toBe(true);
      expect((await verifyAuditChain(h.db)).ok).toBe(true);
    });

    it('reads acting dates as London dates across the change to summer time', async () => {
      // 22:30Z on Sun 28 Mar 2027 is 23:30 BST, still the 28th: past the voter check, on to the closed decision.
      const inside = await vote('outsider', '2027-03-28T22:30:00Z', 'notify', 'Second deputy (fictional).');
      expect(inside).toContain(`the decision on ${reference} has already been made`);
      // 23:30Z the same UTC day is 00:30 BST on Mon 29 Mar: outside.
      const outside = await vote('outsider', '2027-03-28T23:30:00Z', 'notify', 'Second deputy (fictional).');
      expect(outside).toContain('you act as deputy for Police from Sat 27 Mar to Sun 28 Mar 2027; today is Mon 29 Mar 2027');
    });

    it('still refuses someone who is neither the DSP nor a deputy', async () => {
      expect(await vote('notifier', '2026-12-10T10:00:00Z', 'notify', 'Not mine (fictional).')).toContain(
        'only the police DSP can vote for that agency',
      );
    });
  });
}

type Card = Record<string, unknown>;
const nodesOf = (node: unknown): Record<string, unknown>[] =>
  Array.isArray(node)
    ? node.flatMap(nodesOf)
    : node && typeof node === 'object'
      ? [node as Record<string, unknown>, ...Object.values(node).flatMap(nodesOf)]
      : [];
/** What Teams sends from the admin card's Save when nothing is changed: each input's value, and the button's data. */
const formOf = (card: Card): Record<string, unknown> => ({
  ...Object.fromEntries(
    nodesOf(card.body)
      .filter((n) => typeof n.type === 'string' && n.type.startsWith('Input.'))
      .map((i) => [i.id as string, (i.value as string | undefined) ?? '']),
  ),
  ...(card.actions as { verb: string; data: Record<string, unknown> }[]).find((a) => a.verb === 'admin.save')?.data,
});

describe('the admin card names a deputy DSP with their dates, and a deputy is not the DSP', () => {
  let h: TeamsHarness;
  const admin = async (verb: string, data: Record<string, unknown>): Promise<Card> => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.manager },
        tenantId: TEST_TENANT_ID,
        verb,
        data,
        conversationType: 'personal',
      }),
    );
    expect(res.status).toBe(200);
    return (res.body as InvokeBody).value;
  };

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'people-')), 'people.json');
    writeFileSync(
      file,
      JSON.stringify({
        dsp: { local_authority: id('laDsp'), police: id('policeDsp'), health: id('healthDsp') },
        business_manager: [id('manager')],
      }),
    );
    h = await startTeamsHarness({ env: { PEOPLE_FILE: file } });
    await installInTestTeam(h);
  });
  afterAll(async () => h?.close());

  it('saves a deputy with their dates, shows them again, and refuses a deputy without dates or in the DSP place', async () => {
    const form = formOf(await admin('admin.open', {}));
    expect(form).toHaveProperty('deputy__police__0__user', '');
    const saved = await admin('admin.save', {
      ...form,
      deputy__police__0__user: id('policeLead'),
      deputy__police__0__from: '2026-12-07',
      deputy__police__0__until: '2026-12-18',
    });
    expect(JSON.stringify(saved)).toContain('Saved.');
    expect(await listDeputies(h.db)).toMatchObject([
      { agency: 'police', userId: id('policeLead'), actsFrom: '2026-12-07', actsUntil: '2026-12-18' },
    ]);
    const again = formOf(await admin('admin.open', {}));
    expect(again).toMatchObject({
      deputy__police__0__user: id('policeLead'),
      deputy__police__0__from: '2026-12-07',
      deputy__police__0__until: '2026-12-18',
      deputy__police__1__user: '',
    });

    const noDates = await admin('admin.save', { ...again, deputy__health__0__user: id('outsider') });
    expect(JSON.stringify(noDates)).toContain(
      'Nothing saved: give each deputy DSP for Integrated Care Board (health) the dates they act from and until.',
    );
    // The lock-out rule: Police with a deputy but no DSP is an agency without a DSP.
    const noDsp = await admin('admin.save', { ...again, dsp__police: '' });
    expect(JSON.stringify(noDsp)).toContain('Nothing saved: every deciding agency needs a DSP');
    expect(await listDeputies(h.db)).toHaveLength(1);
  });

  it('asks before removing a deputy, and confirming removes only them', async () => {
    const form = formOf(await admin('admin.open', {}));
    const confirmation = await admin('admin.save', { ...form, deputy__police__0__user: '' });
    expect(JSON.stringify(confirmation)).toContain(`${PEOPLE.policeLead.name} would no longer be Deputy DSP: Police`);
    expect(await listDeputies(h.db)).toHaveLength(1);
    const confirm = nodesOf(confirmation).find((n) => n.type === 'Action.Execute' && n.title === 'Confirm changes') as {
      data: Record<string, unknown>;
    };
    expect(JSON.stringify(await admin('admin.save', confirm.data))).toContain('Saved.');
    expect(await listDeputies(h.db)).toEqual([]);
  });
});
