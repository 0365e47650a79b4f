import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createGraphCalendar } from '../../src/adapters/graph/graphCalendar.ts';
import { createGraphClient } from '../../src/adapters/graph/graphClient.ts';
import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { describeSlot } from '../../src/app/meetings/describeSlot.ts';
import type { SendResult } from '../../src/app/outbox/outboxSender.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { sampleReferral, seededRandom } from '../support/fixtures.ts';
import { type GraphFault, type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
import { assignTestDsps, CHANNEL, installInTestTeam, PEOPLE, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.ts';
import { type GraphFaultProxy, startGraphFaultProxy } from './support/graphFaultProxy.ts';

const MAILBOX = 'partnership@demo-partnership.example';
const CASES = 20;
const FAULT_RATE = 0.3;
const SEED = 20_261_119;
/** Event creations whose answer is lost: the stand-in creates the event, then never answers. */
const LOST_ANSWERS = new Set([1, 9]);
const TITLE = 'DSP teleconference: notification decision';

const tooMany = { error: { code: 'TooManyRequests', message: 'Application is over its MailboxConcurrency limit.' } };
const FAULTS: GraphFault[] = [
  { kind: 'status', status: 429, headers: { 'Retry-After': '1' }, body: tooMany },
  { kind: 'status', status: 429, body: tooMany },
  { kind: 'status', status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Service Unavailable' } } },
];

interface GraphEvent {
  id: string;
  subject: string;
  transactionId: string;
  start: { dateTime: string };
  end: { dateTime: string };
  isCancelled?: boolean;
}
const utcOf = (t: { dateTime: string }) => new Date(`${t.dateTime.replace(/Z$/, '')}Z`);

describe('Graph answering 429 or 503 on 30% of calls: every meeting is booked exactly once', () => {
  let graph: GraphStandIn;
  let proxy: GraphFaultProxy;
  let h: TeamsHarness;
  const totals: Record<keyof SendResult, number> = { sent: 0, retried: 0, failed: 0, cancelled: 0, resent: 0 };
  let rounds = 0;
  const events = () => [...graph.events.values()] as unknown as GraphEvent[];

  beforeAll(async () => {
    graph = await startGraphStandIn();
    const random = seededRandom(SEED);
    proxy = await startGraphFaultProxy(graph, {
      decide({ route, n }) {
        if (route === 'createEvent' && LOST_ANSWERS.has(n)) return { kind: 'hang_after_create' };
        if (random() >= FAULT_RATE) return undefined;
        return FAULTS[Math.floor(random() * FAULTS.length)];
      },
      // As in Outlook: the partnership mailbox is busy during the meetings it has already organised,
      // so getSchedule shows them (the stand-in otherwise keeps busy time only as told).
      beforeForward(route) {
        if (route !== 'getSchedule') return;
        graph.setBusy(
          MAILBOX,
          events()
            .filter((e) => !e.isCancelled)
            .map((e) => ({ start: utcOf(e.start).toISOString(), end: utcOf(e.end).toISOString() })),
        );
      },
    });
    // The service's own graph-client (auth, RetryHandler, timeout) pointed at the proxy. One in-client
    // retry with no base delay keeps the run short; the second fault in a row reaches the outbox.
    const credential = { getToken: async () => ({ token: 'test-graph-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const client = createGraphClient({
      credential,
      baseUrl: proxy.baseUrl,
      customHosts: new Set(['127.0.0.1']),
      timeoutMs: 1_000,
      retryDelaySeconds: 0,
      maxRetries: 1,
    });
    h = await startTeamsHarness({ calendar: createGraphCalendar(client) });
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await installInTestTeam(h);

    // Thursday 19 Nov 2026, 08:00 London: every DSP call fits before the deadline (end of Mon 23 Nov).
    h.clock.set('2026-11-19T08:00:00Z');
    const referral = sampleReferral();
    for (let i = 1; i <= CASES; i += 1) {
      const res = await h.send(
        adaptiveCardExecute({
          serviceUrl: h.connector.serviceUrl,
          bot: h.botAccount,
          from: { ...PEOPLE.referrer },
          tenantId: TEST_TENANT_ID,
          verb: 'referral.submit',
          conversationType: 'personal',
          data: {
            type: referral.type,
            referrer_name: referral.referrer.name,
            referrer_agency: referral.referrer.agency,
            referrer_email: referral.referrer.email,
            referredOn: '2026-11-19',
            child_name: `Child Number${i} Testcase`,
            child_dateOfBirth: referral.child.dateOfBirth,
            child_statusAtTime: referral.child.statusAtTime,
            child_localAuthority: referral.child.localAuthority,
            incident_date: '2026-11-18',
            narrative_whatHappened: referral.narrative.whatHappened,
            narrative_whyCriteriaMet: referral.narrative.whyCriteriaMet,
          },
        }),
      );
      expect(JSON.stringify(res.body)).toContain(`HSSCP-2026-${String(i).padStart(4, '0')}`);
    }
    await h.settle();

    // Drive the outbox as its loop would, moving the clock to each retry's next attempt (no sleeping).
    for (;;) {
      const result = await h.services.send();
      for (const key of Object.keys(totals) as (keyof SendResult)[]) totals[key] += result[key];
      rounds += 1;
      const { rows } = await h.db.query<{ n: number; next: Date | null }>(
        `SELECT count(*)::int AS n, min(available_at) AS next FROM outbox WHERE status IN ('pending', 'claimed')`,
      );
      if (rows[0]!.n === 0) break;
      if (rounds > 200) throw new Error(`the outbox still holds ${rows[0]!.n} messages after 200 rounds`);
      if (rows[0]!.next! > h.clock.now()) h.clock.set(rows[0]!.next!);
    }
    await h.settle();

    const faults = proxy.calls.filter((c) => c.fault);
    const booked = (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM meetings WHERE status = 'booked'`)).rows[0]!.n;
    console.log(
      [
        `[graph faults] Graph calls made: ${proxy.calls.length} (getSchedule ${proxy.calls.filter((c) => c.route === 'getSchedule').length}, create event ${proxy.calls.filter((c) => c.route === 'createEvent').length})`,
        `faults injected: ${faults.length} (${((100 * faults.length) / proxy.calls.length).toFixed(0)}% of calls; ` +
          `429 with Retry-After ${faults.filter((c) => c.fault?.kind === 'status' && c.fault.status === 429 && c.fault.headers).length}, ` +
          `429 without ${faults.filter((c) => c.fault?.kind === 'status' && c.fault.status === 429 && !c.fault.headers).length}, ` +
          `503 ${faults.filter((c) => c.fault?.kind === 'status' && c.fault.status === 503).length}, ` +
          `lost answers ${faults.filter((c) => c.fault?.kind === 'hang_after_create').length})`,
        `retries: ${proxy.calls.filter((c) => c.retryAttempt > 0).length} by the graph-client, ${totals.retried} by the outbox (${rounds} send rounds, clock moved to ${h.clock.now().toISOString()})`,
        `meetings booked: ${booked} for ${CASES} cases; Graph events: ${graph.events.size}; outbox: ${totals.sent} sent, ${totals.failed} failed`,
      ].join('\n  '),
    );
  }, 55_000);

  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await graph?.close();
  });

  it('injected what it says: about 30% of calls faulted, on both calls, with lost answers, and the retries went through the graph-client and the outbox', () => {
    const faults = proxy.calls.filter((c) => c.fault);
    expect(faults.length / proxy.calls.length).toBeGreaterThan(0.2);
    expect(new Set(faults.map((c) => c.route))).toEqual(new Set(['getSchedule', 'createEvent']));
    expect(faults.filter((c) => c.fault?.kind === 'hang_after_create')).toHaveLength(LOST_ANSWERS.size);
    expect(graph.requests.filter((r) => r.answered === 'hung')).toHaveLength(LOST_ANSWERS.size);
    expect(graph.requests.filter((r) => r.answered === 429).length).toBeGreaterThan(0);
    expect(graph.requests.filter((r) => r.answered === 503).length).toBeGreaterThan(0);
    expect(proxy.calls.filter((c) => c.retryAttempt > 0).length).toBeGreaterThan(0);
    expect(totals.retried).toBeGreaterThan(0);
  });

  it('books every case exactly once: one Outlook event per case, one meetings row booked on that event, one "booked" post in its thread, no message failed', async () => {
    const cases = (await h.db.query<{ id: string; reference: string }>('SELECT id, reference FROM cases ORDER BY reference')).rows;
    expect(cases).toHaveLength(CASES);
    expect(graph.events.size).toBe(CASES);
    const meetings = (
      await h.db.query<{ case_id: string; status: string; graph_event_id: string | null; kind: string }>(
        'SELECT case_id, status, graph_event_id, kind FROM meetings',
      )
    ).rows;
    const bookedPosts = h.cardsSent((r) => r.conversationId?.startsWith(CHANNEL.id) ?? false).map((c) => JSON.stringify(c.card));
    const audits = (await h.db.query<{ case_id: string }>(`SELECT case_id FROM audit_log WHERE action = 'meeting_booked'`)).rows;
    for (const c of cases) {
      const byTransaction = events().filter((e) => e.transactionId === `${c.id}:dsp_call`);
      expect(byTransaction, c.reference).toHaveLength(1);
      expect(
        events().filter((e) => e.subject === `${TITLE}: ${c.reference}`),
        c.reference,
      ).toHaveLength(1);
      const rows = meetings.filter((m) => m.case_id === c.id);
      expect(rows, c.reference).toEqual([{ case_id: c.id, status: 'booked', graph_event_id: byTransaction[0]!.id, kind: 'dsp_call' }]);
      expect(
        bookedPosts.filter((text) => text.includes(`${c.reference}: ${TITLE} booked for`)),
        c.reference,
      ).toHaveLength(1);
      expect(
        audits.filter((a) => a.case_id === c.id),
        c.reference,
      ).toHaveLength(1);
    }
    const outbox = (await h.db.query<{ kind: string; status: string }>(`SELECT kind, status FROM outbox WHERE kind = 'book_meeting'`)).rows;
    expect(outbox).toEqual(Array(CASES).fill({ kind: 'book_meeting', status: 'sent' }));
    // The cases' other posts (threads, DSP copies) went through the same outbox: none failed.
    expect((await h.db.query(`SELECT 1 FROM outbox WHERE status = 'failed'`)).rows).toEqual([]);
    expect(totals.failed).toBe(0);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it('records and announces the time the Outlook event is actually at, also when a lost answer was retried', async () => {
    // After a lost answer the retry searches free/busy again. The event it already created now shows
    // in the partnership mailbox's calendar, so a later slot is chosen; Graph's transactionId returns
    // the event first created, at the first slot. The record must follow Graph's event, not the search.
    const { rows } = await h.db.query<{ reference: string; transaction_id: string; starts_at: Date; ends_at: Date }>(
      'SELECT c.reference, m.transaction_id, m.starts_at, m.ends_at FROM meetings m JOIN cases c ON c.id = m.case_id ORDER BY c.reference',
    );
    const posts = h.cardsSent((r) => r.conversationId?.startsWith(CHANNEL.id) ?? false).map((c) => JSON.stringify(c.card));
    const mismatches = rows.flatMap((m) => {
      const event = graph.events.get(m.transaction_id) as unknown as GraphEvent;
      const outlook = { start: utcOf(event.start), end: utcOf(event.end) };
      const recorded = { start: m.starts_at, end: m.ends_at };
      const said = posts.find((text) => text.includes(`${m.reference}: ${TITLE} booked for`))?.match(/booked for ([^"]+\(London\))/)?.[1];
      return said === describeSlot(outlook) &&
        recorded.start.getTime() === outlook.start.getTime() &&
        recorded.end.getTime() === outlook.end.getTime()
        ? []
        : [`${m.reference}: Outlook has ${describeSlot(outlook)}; the meetings row has ${describeSlot(recorded)}; the thread says ${said}`];
    });
    expect(mismatches).toEqual([]);
  });
});
