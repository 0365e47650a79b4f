import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { enqueueMessage } from '../../src/adapters/store/outboxRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { connectorErrors } from '../support/botframework/botConnectorStandIn.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute, botAddedToTeam } from '../support/botframework/teamsActivities.ts';
import { sampleReferral } from '../support/fixtures.ts';
import { CHANNEL, PEOPLE, type PersonKey, startTeamsHarness, TEAM, type TeamsHarness } from '../support/teamsHarness.ts';

interface Row {
  id: number;
  kind: string;
  recipient: string;
  status: string;
  attempts: number;
  last_error: string | null;
  available_at: Date;
  dedupe_key: string;
}

describe('delivering alerts through the outbox to Teams', () => {
  let h: TeamsHarness;
  const rows = async () =>
    (await h.db.query<Row>('SELECT id, kind, recipient, status, attempts, last_error, available_at, dedupe_key FROM outbox ORDER BY id'))
      .rows;
  const invoke = async (who: PersonKey, verb: string, data: Record<string, unknown>) => {
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE[who] },
        tenantId: TEST_TENANT_ID,
        verb,
        data,
        conversationType: 'personal',
      }),
    );
    return JSON.stringify((res.body as { value: unknown }).value);
  };

  beforeAll(async () => {
    h = await startTeamsHarness();
    for (const [who, agency] of [
      ['laDsp', 'local_authority'],
      ['policeDsp', 'police'],
      ['healthDsp', 'health'],
    ] as const) {
      await assignRole(h.db, { role: 'dsp', scope: agency, userId: PEOPLE[who].aadObjectId });
    }
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await h.send(
      botAddedToTeam({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.manager },
        tenantId: TEST_TENANT_ID,
        team: TEAM,
        channel: CHANNEL,
      }),
    );
  });
  afterAll(async () => h.close());

  beforeEach(async () => {
    await h.db.query('TRUNCATE cases, outbox, alerts, send_log, reference_counters CASCADE');
    h.clock.set('2026-11-19T10:00:00Z');
    const form = sampleReferral();
    await invoke('referrer', 'referral.submit', {
      type: form.type,
      referrer_name: form.referrer.name,
      referrer_agency: form.referrer.agency,
      referrer_email: form.referrer.email,
      referredOn: form.referredOn,
      child_name: form.child.name,
      child_dateOfBirth: form.child.dateOfBirth,
      child_statusAtTime: form.child.statusAtTime,
      child_localAuthority: form.child.localAuthority,
      incident_date: form.incident.date,
      narrative_whatHappened: form.narrative.whatHappened,
      narrative_whyCriteriaMet: form.narrative.whyCriteriaMet,
    });
    await h.settle();
    await h.services.send(); // the DSP call booking the referral queued (local calendar)
    h.connector.reset();
  });

  it('sends each DSP a 1:1 alert card and replies in the case thread mentioning them, once', async () => {
    h.clock.set('2026-11-23T00:00:00Z');
    await h.services.watch();
    const first = await h.services.send();
    expect(first).toMatchObject({ sent: 4, failed: 0, retried: 0 });
    const reply = h.connector.requests.find(
      (r) => r.conversationId?.startsWith(CHANNEL.id) && JSON.stringify(r.body).includes('Due soon: DSP decision'),
    )!;
    expect(reply.conversationId).toMatch(new RegExp(`^${CHANNEL.id};messageid=`));
    const entities = (reply.body as { entities: { type: string; mentioned: { id: string } }[] }).entities.filter(
      (e) => e.type === 'mention',
    );
    expect(entities.map((e) => e.mentioned.id).sort()).toEqual([PEOPLE.healthDsp.id, PEOPLE.laDsp.id, PEOPLE.policeDsp.id].sort());
    expect((reply.body as { text: string }).text).toContain('<at>Test DSP Police</at>');
    const cards = h.cardsSent((r) => JSON.stringify(r.body).includes('"verb":"alert.ack"'));
    expect(cards).toHaveLength(3);
    expect(JSON.stringify(cards[0]!.card)).toContain('DSP decision due by the end of Mon 23 Nov');
    await h.services.watch();
    expect(await h.services.send()).toMatchObject({ sent: 0 });
    expect((await rows()).filter((r) => r.kind === 'email').map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
  });

  it('never sends more than 7 messages a second, nor 8 in 2 seconds, to one channel', async () => {
    const since = new Date();
    for (let i = 0; i < 15; i += 1) {
      await enqueueMessage(
        h.db,
        {
          dedupeKey: `digest:test-${i}`,
          caseId: null,
          kind: 'channel_post',
          recipient: 'partnership_channel',
          payload: { digest: '2026-11-19' },
          availableAt: h.clock.now(),
        },
        h.clock.now(),
      );
    }
    const result = await h.services.send();
    expect(result.sent).toBe(15);
    const { rows } = await h.db.query<{ n: number }>('SELECT sum(ops)::int AS n FROM send_log WHERE key = $1 AND at >= $2', [
      CHANNEL.id,
      since,
    ]);
    expect(rows[0]!.n).toBe(15);
    // As Teams would count them: by when they reached the connector.
    const posts = h.connector.requests
      .filter((r) => r.conversationId === CHANNEL.id && r.status === 200)
      .map((r) => r.receivedAt)
      .sort((a, b) => a - b);
    expect(posts).toHaveLength(15);
    const most = (ms: number) => Math.max(...posts.map((t) => posts.filter((u) => u >= t && u < t + ms).length));
    expect(most(1000)).toBeLessThanOrEqual(7);
    expect(most(2000)).toBeLessThanOrEqual(8);
    expect(posts.at(-1)! - posts[0]!).toBeGreaterThanOrEqual(3000); // 7, then 1 a second later, 6 at 2 s, 1 at 3 s
  });

  it.each([
    ['a 429 without Retry-After (which botbuilder does not retry)', connectorErrors.throttledWithoutRetryAfter(), '429'],
    ['a 412', connectorErrors.preconditionFailed(), '412'],
  ])('retries %s later with backoff, then delivers', async (_what, failure, code) => {
    h.clock.set('2026-11-23T00:00:00Z');
    await h.services.watch();
    h.connector.failNext('createConversation', failure, { times: 1 });
    const first = await h.services.send();
    expect(first).toMatchObject({ sent: 3, retried: 1 });
    const retried = (await rows()).find((r) => r.status === 'pending' && r.kind === 'teams_dm')!;
    expect(retried.last_error).toContain(code);
    const delay = retried.available_at.getTime() - h.clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(1_600);
    expect(delay).toBeLessThanOrEqual(2_400);
    expect(await h.services.send()).toMatchObject({ sent: 0 }); // not before its time
    h.clock.advanceMs(3_000);
    expect(await h.services.send()).toMatchObject({ sent: 1 });
  });

  it('records a blocked bot (403 MessageWritesBlocked) as failed, does not retry it, and says so in the digest', async () => {
    h.clock.set('2026-11-23T00:00:00Z');
    await h.services.watch();
    h.connector.failNext('createConversation', connectorErrors.messageWritesBlocked(), { times: 1 });
    expect(await h.services.send()).toMatchObject({ failed: 1, sent: 3 });
    const failed = (await rows()).find((r) => r.status === 'failed')!;
    expect(failed.last_error).toContain('MessageWritesBlocked');
    h.clock.advanceMs(3_600_000);
    expect(await h.services.send()).toMatchObject({ sent: 0, failed: 0 });
    h.clock.set('2026-11-23T08:30:00Z');
    h.connector.reset();
    await h.services.watch();
    await h.services.send();
    const digest = h.connector.requests.find((r) => JSON.stringify(r.body).includes('Daily digest'));
    expect(JSON.stringify(digest?.body)).toContain('Not delivered in the last 7 days: 1 message');
    expect(JSON.stringify(digest?.body)).toContain('HSSCP-2026-0001 (A.T.): DSP decision, due by the end of Mon 23 Nov');
  });

  it('lets the recipient acknowledge an alert: audited, no email copy, and no one else can', async () => {
    h.clock.set('2026-11-23T00:00:00Z');
    await h.services.watch();
    const { rows: alerts } = await h.db.query<{ id: string; recipient: string }>('SELECT id, recipient FROM alerts');
    const police = alerts.find((a) => a.recipient === PEOPLE.policeDsp.aadObjectId)!;
    expect(await invoke('healthDsp', 'alert.ack', { alertId: police.id })).toContain('Only the person this alert was sent to');
    expect(await invoke('policeDsp', 'alert.ack', { alertId: police.id })).toContain('Acknowledged');
    const email = (await rows()).find((r) => r.kind === 'email' && r.recipient === PEOPLE.policeDsp.aadObjectId);
    expect(email?.status).toBe('cancelled');
    const audit = await h.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'alert_acknowledged'`);
    expect(audit.rows).toEqual([{ actor: PEOPLE.policeDsp.aadObjectId }]);
  });

  it('snoozes an alert until 09:00 on the next working day, and holds the email copy until then', async () => {
    h.clock.set('2026-11-27T16:00:00Z'); // Friday: the panel notification is not running, the DSP decision is overdue
    await h.services.watch();
    const { rows: alerts } = await h.db.query<{ id: string; recipient: string }>(
      `SELECT id, recipient FROM alerts WHERE level = 'overdue'`,
    );
    const police = alerts.find((a) => a.recipient === PEOPLE.policeDsp.aadObjectId)!;
    expect(await invoke('policeDsp', 'alert.snooze', { alertId: police.id })).toContain(
      'Snoozed: you will be reminded Mon 30 Nov 2026, 09:00',
    );
    const reminder = (await rows()).find((r) => r.dedupe_key.includes(':snooze:'));
    expect(reminder?.available_at.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    const email = (await rows()).find((r) => r.kind === 'email' && r.recipient === PEOPLE.policeDsp.aadObjectId);
    expect(email!.available_at.getTime()).toBeGreaterThanOrEqual(new Date('2026-11-30T09:00:00Z').getTime());
    expect((await h.db.query(`SELECT 1 FROM audit_log WHERE action = 'alert_snoozed'`)).rows).toHaveLength(1);
  });
});
