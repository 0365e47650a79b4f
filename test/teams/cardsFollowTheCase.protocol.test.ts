// Cards that ask for action follow the case: when the thing a card asks for is done, by anyone and
// from anywhere, the card says so and has no live form. And one thread per case, by construction.
// Through the real app with auth on; the posts leave through the outbox (h.settle() runs its sender).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listCaseMessages } from '../../src/adapters/store/caseMessageRepository.ts';
import { findPartnershipChannel } from '../../src/adapters/store/installationRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { queueCaseChange } from '../../src/app/teams/caseAnnouncements.ts';
import { ensureCaseThread } from '../../src/app/teams/caseBroadcaster.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM } from '../support/fixtures.ts';
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

type InvokeBody = { statusCode: number; value: Record<string, unknown> };

/** The verbs of a card's live actions (buttons a person can press). */
function verbsOf(card: unknown): string[] {
  const verbs: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Action.Execute' && typeof n.verb === 'string') verbs.push(n.verb);
      for (const [k, v] of Object.entries(n)) if (k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return verbs;
}

describe('cards that ask for action follow the case', () => {
  let h: TeamsHarness;
  let caseId: string;
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
  /** The card a stored message shows now: the last post or update the connector received for it. */
  const lastCardOf = (activityId: string): Record<string, unknown> | undefined =>
    h.cardsSent((r) => r.route === 'updateActivity' && r.activityId === activityId).at(-1)?.card;
  const messages = () => listCaseMessages(h.db, caseId);

  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await installInTestTeam(h);
    const receipt = await invoke('referrer', 'referral.submit', REFERRAL_FORM);
    expect(JSON.stringify(receipt.value)).toContain('HSSCP-2026-0001');
    await h.settle();
    caseId = (await h.db.query<{ id: string }>(`SELECT id FROM cases WHERE reference = 'HSSCP-2026-0001'`)).rows[0]!.id;
  });
  afterAll(async () => h?.close());

  it('opens one thread and sends each DSP a copy, from the outbox', async () => {
    const stored = await messages();
    expect(stored.filter((m) => m.purpose === 'channel_card')).toHaveLength(1);
    expect(stored.filter((m) => m.purpose === 'dsp_copy')).toHaveLength(3);
    const threadStarts = h.connector.requests.filter(
      (r) => r.route === 'createConversation' && r.conversationId === undefined && JSON.stringify(r.body).includes(CHANNEL.id),
    );
    expect(threadStarts).toHaveLength(1);
  });

  it('starts no second thread when many reach for it at once', async () => {
    // Before, the announcement and the DSP call's booking raced, and the first case got two threads.
    const deps = { ctx: h.services.ctx, gateway: h.services.gateway, logger: h.services.logger };
    const channel = (await findPartnershipChannel(h.db))!;
    const original = (await messages()).find((m) => m.purpose === 'channel_card')!;
    // As for a case with no thread yet: eight callers (announcement, booking, alerts...) at once.
    await h.db.query(`DELETE FROM case_messages WHERE case_id = $1 AND purpose = 'channel_card'`, [caseId]);
    h.connector.reset();
    const threads = await Promise.all(Array.from({ length: 8 }, () => ensureCaseThread(deps, channel, caseId)));
    expect(new Set(threads.map((t) => t.activityId)).size).toBe(1);
    expect(h.connector.requests.filter((r) => r.route === 'createConversation')).toHaveLength(1);
    expect((await messages()).filter((m) => m.purpose === 'channel_card')).toHaveLength(1);
    expect(threads[0]!.activityId).not.toBe(original.activityId);
  });

  it('takes the vote form off every DSP copy once the decision is made', async () => {
    for (const [who, agency] of [
      ['laDsp', 'local_authority'],
      ['policeDsp', 'police'],
      ['healthDsp', 'health'],
    ] as const) {
      await invoke(who, 'case.vote', { caseId, agency, decision: 'notify', rationale: `${agency}: notify (fictional).` }, 'channel');
    }
    await h.settle();
    for (const copy of (await messages()).filter((m) => m.purpose === 'dsp_copy')) {
      const card = lastCardOf(copy.activityId);
      expect(card, `DSP copy for ${copy.recipient}`).toBeDefined();
      expect(verbsOf(card)).not.toContain('case.vote');
      expect(JSON.stringify(card)).toContain('Decision made');
    }
  });

  it('tells the notifier, on their card, when the business manager recorded the notification from the case card', async () => {
    const notifierCard = (await messages()).find((m) => m.purpose === 'notifier_card' && m.recipient === PEOPLE.notifier.aadObjectId);
    expect(notifierCard, 'the notifier got their card').toBeDefined();
    h.connector.reset();
    const answer = await invoke('manager', 'case.confirmNotification', {
      caseId,
      notifiedOn: '2026-11-19',
      panelReference: 'CSPRP-TEST-0001',
    });
    expect(JSON.stringify(answer.value)).toContain('Recorded: the Panel was notified');
    await h.settle();
    const card = lastCardOf(notifierCard!.activityId);
    expect(card, 'the notifier card was updated').toBeDefined();
    expect(verbsOf(card)).not.toContain('case.confirmNotification');
    expect(JSON.stringify(card)).toContain('Done: Test Business Manager recorded on');
    expect(JSON.stringify(card)).toContain('Nothing more is needed from you here');
  });

  it("takes the buttons off the police lead's information request card when the business manager records the return", async () => {
    await assignRole(h.db, { role: 'agency_leads', scope: 'police', userId: PEOPLE.policeLead.aadObjectId });
    expect(
      JSON.stringify((await invoke('manager', 'case.step', { caseId, step: 'info_requests_sent', agencies: 'police' })).value),
    ).toContain('Recorded');
    await h.services.send({ kinds: ['info_request'] });
    await h.settle();
    const infoCard = (await messages()).find(
      (m) => m.purpose === 'info_request' && m.recipient === `${PEOPLE.policeLead.aadObjectId}|police`,
    );
    expect(infoCard, 'the police lead got their card, and it is remembered').toBeDefined();
    h.connector.reset();
    // Recorded from the steps list (the return came by another route), not from the lead's card.
    expect(
      JSON.stringify(
        (await invoke('manager', 'case.step', { caseId, step: 'info_return_recorded', itemId: 'police', kind: 'received' })).value,
      ),
    ).toContain('Recorded');
    await h.settle();
    const card = lastCardOf(infoCard!.activityId);
    expect(card, "the lead's card was updated").toBeDefined();
    expect(verbsOf(card)).not.toContain('case.step'); // no "Return sent" / "Nil return" any more
    expect(JSON.stringify(card)).toContain('Return recorded');
  });

  it('does not update a card again when nothing it shows has changed', async () => {
    h.connector.reset();
    // A refresh asked for with nothing changed sends no update at all.
    await h.db.transaction((tx) => queueCaseChange(tx, h.services.ctx, caseId));
    await h.settle();
    expect(h.connector.requests.filter((r) => r.route === 'updateActivity')).toEqual([]);
  });
});

describe('alert cards follow their clock', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await installInTestTeam(h);
  }, 120_000);
  afterAll(async () => h?.close());

  it('takes Acknowledge and Snooze off every alert card once the clock stops, whoever stopped it', async () => {
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
    await invoke('referrer', 'referral.submit', REFERRAL_FORM);
    await h.settle();
    const caseId = (await h.db.query<{ id: string }>('SELECT id FROM cases')).rows[0]!.id;
    // Received Thu 19 Nov 2026 10:00; the DSP decision is due by the end of Mon 23 Nov (2 working
    // days, the day of receipt not counted), so it is overdue from 00:00 on Tue 24 Nov.
    h.clock.set('2026-11-24T09:00:00Z');
    await h.services.watch();
    await h.services.send();
    const alerts = (await listCaseMessages(h.db, caseId)).filter((m) => m.purpose === 'alert');
    expect(alerts.length, 'the DSPs and the escalation got alert cards, remembered').toBeGreaterThanOrEqual(3);
    const police = (
      await h.db.query<{ id: string }>(`SELECT id FROM alerts WHERE recipient = $1 AND level = 'overdue'`, [PEOPLE.policeDsp.aadObjectId])
    ).rows[0]!;
    const acked = await invoke('policeDsp', 'alert.ack', { alertId: police.id });
    expect(verbsOf(acked.value)).toEqual([]);
    expect(JSON.stringify(acked.value)).toContain('Acknowledged');
    h.connector.reset();
    for (const [who, agency] of [
      ['laDsp', 'local_authority'],
      ['policeDsp', 'police'],
      ['healthDsp', 'health'],
    ] as const) {
      await invoke(
        who,
        'case.vote',
        { caseId, agency, decision: 'do_not_notify', rationale: `${agency}: not notifiable (fictional).` },
        'channel',
      );
    }
    await h.settle();
    for (const alert of alerts) {
      const card = h.cardsSent((r) => r.route === 'updateActivity' && r.activityId === alert.activityId).at(-1)?.card;
      expect(card, `alert card ${alert.recipient} was updated`).toBeDefined();
      expect(verbsOf(card)).not.toContain('alert.ack');
      expect(verbsOf(card)).not.toContain('alert.snooze');
    }
  }, 60_000);
});
