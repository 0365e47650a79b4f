import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { auditEntriesForCase } from '../../src/adapters/store/auditLog.ts';
import { findCase } from '../../src/adapters/store/caseRepository.ts';
import { findPartnershipChannel } from '../../src/adapters/store/installationRepository.ts';
import { listRoleAssignments } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import {
  adaptiveCardExecute,
  botAddedToTeam,
  channelMessageMentioningBot,
  personalMessage,
} from '../support/botframework/teamsActivities.ts';
import { sampleReferral } from '../support/fixtures.ts';
import { CHANNEL, PEOPLE, type PersonKey, startTeamsHarness, TEAM, type TeamsHarness } from '../support/teamsHarness.ts';

type InvokeBody = { statusCode: number; type: string; value: Record<string, unknown> };

describe('setting up the partnership in Teams, and routing the decision', () => {
  let h: TeamsHarness;
  const as = (who: PersonKey) => ({ ...PEOPLE[who] });
  const invoke = async (
    who: PersonKey,
    verb: string,
    data: Record<string, unknown>,
    conversationType: 'personal' | 'channel' = 'personal',
  ) => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: as(who),
        tenantId: TEST_TENANT_ID,
        verb,
        data,
        conversationType,
        team: TEAM,
        channel: CHANNEL,
      }),
    );
    expect(res.status).toBe(200);
    return JSON.stringify((res.body as InvokeBody).value);
  };
  const say = async (who: PersonKey, text: string) => {
    h.connector.reset();
    await h.send(personalMessage(text, { serviceUrl: h.connector.serviceUrl, bot: h.botAccount, from: as(who), tenantId: TEST_TENANT_ID }));
    return h
      .cardsSent()
      .map((c) => JSON.stringify(c.card))
      .join('\n');
  };

  beforeAll(async () => {
    h = await startTeamsHarness({ env: { ADMIN_USER_IDS: PEOPLE.manager.aadObjectId } });
    await h.send(
      botAddedToTeam({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: as('manager'),
        tenantId: TEST_TENANT_ID,
        team: TEAM,
        channel: CHANNEL,
      }),
    );
  });
  afterAll(async () => h.close());

  describe('the admin card', () => {
    it('lists the team roster for each role, to an admin', async () => {
      const card = await say('manager', 'admin');
      expect(card).toContain('DSP: Police');
      expect(card).toContain('Serious Incident Notifier: Hartlepool');
      expect(card).toContain('Test DSP Health'); // from the roster (getPagedTeamMembers)
    });

    it('refuses anyone else, readably', async () => {
      expect(await say('outsider', 'admin')).toContain('Only the business manager can change who does what');
    });

    it('saves role assignments chosen from the roster, with display names, and audits the change', async () => {
      const saved = await invoke('manager', 'admin.save', {
        form: 'roles',
        dsp__local_authority: PEOPLE.laDsp.aadObjectId,
        dsp__police: PEOPLE.policeDsp.aadObjectId,
        dsp__health: PEOPLE.healthDsp.aadObjectId,
        la_notifier__Hartlepool: PEOPLE.notifier.aadObjectId,
        business_manager__: PEOPLE.manager.aadObjectId,
        engine_room__: `${PEOPLE.outsider.aadObjectId},${PEOPLE.referrer.aadObjectId}`,
      });
      expect(saved).toContain('Saved.');
      const roles = await listRoleAssignments(h.db);
      expect(roles.find((r) => r.role === 'dsp' && r.scope === 'police')).toMatchObject({
        userId: PEOPLE.policeDsp.aadObjectId,
        displayName: 'Test DSP Police',
      });
      expect(roles.filter((r) => r.role === 'engine_room')).toHaveLength(2);
      const audit = await h.db.query<{ action: string; actor: string }>(
        `SELECT action, actor FROM audit_log WHERE action = 'roles_changed'`,
      );
      expect(audit.rows).toEqual([{ action: 'roles_changed', actor: PEOPLE.manager.aadObjectId }]);
    });

    it('saves nothing when someone outside the team is chosen, or two people for one DSP', async () => {
      const before = await listRoleAssignments(h.db);
      expect(await invoke('manager', 'admin.save', { form: 'roles', dsp__police: '00000000-0000-4000-8000-0000000fffff' })).toContain(
        'Nothing saved: choose people who are members of the partnership team',
      );
      expect(
        await invoke('manager', 'admin.save', {
          form: 'roles',
          dsp__police: `${PEOPLE.policeDsp.aadObjectId},${PEOPLE.laDsp.aadObjectId}`,
        }),
      ).toContain('takes one person');
      expect(await listRoleAssignments(h.db)).toEqual(before);
    });
  });

  it('moves the case cards to another channel when the business manager says "post here" there', async () => {
    const other = { id: '19:test-other-channel@thread.tacv2', name: 'Reviews' };
    h.connector.reset();
    await h.send(
      channelMessageMentioningBot('post here', {
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: as('outsider'),
        tenantId: TEST_TENANT_ID,
        team: TEAM,
        channel: other,
      }),
    );
    expect((await findPartnershipChannel(h.db))?.channelId).toBe(CHANNEL.id);
    await h.send(
      channelMessageMentioningBot('post here', {
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: as('manager'),
        tenantId: TEST_TENANT_ID,
        team: TEAM,
        channel: other,
      }),
    );
    expect((await findPartnershipChannel(h.db))?.channelId).toBe(other.id);
    await h.send(
      channelMessageMentioningBot('post here', {
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: as('manager'),
        tenantId: TEST_TENANT_ID,
        team: TEAM,
        channel: CHANNEL,
      }),
    );
    expect((await findPartnershipChannel(h.db))?.channelId).toBe(CHANNEL.id);
  });

  it('opens the referral form from the "New referral" button', async () => {
    expect(await invoke('referrer', 'referral.open', {})).toContain('"verb":"referral.submit"');
  });

  describe('routing the collective decision', () => {
    let caseId: string;
    beforeEach(async () => {
      const { case: record } = await submitReferral(h.services.ctx, sampleReferral(), PEOPLE.referrer.aadObjectId);
      caseId = record.id;
      h.connector.reset();
    });
    const vote = (who: PersonKey, agency: string, decision: string) =>
      invoke(who, 'case.vote', { caseId, agency, decision, rationale: `${agency} (fictional).` }, 'channel');
    const threadText = () =>
      h.connector.requests
        .filter((r) => r.route === 'sendToConversation' || r.route === 'replyToActivity')
        .map((r) => JSON.stringify(r.body))
        .join('\n');

    it('names the dispute-resolution step in the thread when the partners disagree', async () => {
      await vote('laDsp', 'local_authority', 'notify');
      await vote('policeDsp', 'police', 'do_not_notify');
      await vote('healthDsp', 'health', 'notify');
      await h.settle();
      expect((await findCase(h.db, caseId))?.stage).toBe('dispute_resolution');
      // Opened outside Teams, the case had no thread yet: the announcement starts one first.
      expect(h.connector.requests.some((r) => r.route === 'createConversation' && JSON.stringify(r.body).includes(CHANNEL.id))).toBe(true);
      expect(threadText()).toContain(
        "the partners disagree, so the case is escalated: The safeguarding partners follow their local 'Professional Challenge, Escalation and Dispute Resolution' procedure",
      );
    });

    it('sends a learning-review decision to the Engine Room', async () => {
      for (const [who, agency] of [
        ['laDsp', 'local_authority'],
        ['policeDsp', 'police'],
        ['healthDsp', 'health'],
      ] as const)
        await vote(who, agency, 'learning_review');
      await h.settle();
      expect((await findCase(h.db, caseId))?.stage).toBe('learning_review');
      expect(threadText()).toContain('the case goes to the HSSCP Engine Room (Rapid Review panel members) for a learning decision');
    });

    it('keeps the rationales for the referrer when the decision is not to notify', async () => {
      for (const [who, agency] of [
        ['laDsp', 'local_authority'],
        ['policeDsp', 'police'],
        ['healthDsp', 'health'],
      ] as const)
        await vote(who, agency, 'do_not_notify');
      await h.settle();
      expect(threadText()).toContain("each partner's rationale is recorded for the reply to the referrer");
      const decision = (await auditEntriesForCase(h.db, caseId)).find((e) => e.action === 'decision_made');
      expect(decision?.details).toMatchObject({ outcome: 'do_not_notify', stage: 'closed' });
    });
  });
});
