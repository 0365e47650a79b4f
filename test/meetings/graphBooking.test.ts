import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createGraphCalendar } from '../../src/adapters/graph/graphCalendar.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { recordCaseEvent } from '../../src/app/cases/recordCaseEvent.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { sampleReferral } from '../support/fixtures.ts';
import { graphClientFor, type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
import { assignTestDsps, CHANNEL, installInTestTeam, PEOPLE, startTeamsHarness, TEAM, type TeamsHarness } from '../support/teamsHarness.ts';

const MAILBOX = 'partnership@demo-partnership.example';
const email = (key: string) => `${key.toLowerCase()}@partnership.example`;

describe('booking the DSP call in Outlook through Microsoft Graph (a local Graph stand-in, the real graph-client)', () => {
  let h: TeamsHarness;
  let graph: GraphStandIn;
  const graphCalls = (path: string) => graph.requests.filter((r) => r.path.endsWith(path));
  const threadText = () =>
    h.connector.requests
      .filter((r) => r.conversationId?.startsWith(CHANNEL.id))
      .map((r) => JSON.stringify(r.body))
      .join('\n');

  async function referAt(instant: string, referral = sampleReferral()) {
    h.clock.set(instant);
    const day = instant.slice(0, 10);
    await h.send(
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
          referredOn: day,
          child_name: referral.child.name,
          child_dateOfBirth: referral.child.dateOfBirth,
          child_statusAtTime: referral.child.statusAtTime,
          child_localAuthority: referral.child.localAuthority,
          incident_date: day,
          narrative_whatHappened: referral.narrative.whatHappened,
          narrative_whyCriteriaMet: referral.narrative.whyCriteriaMet,
        },
      }),
    );
    await h.settle();
    h.connector.reset();
  }

  beforeAll(async () => {
    graph = await startGraphStandIn();
    const client = graphClientFor(graph);
    h = await startTeamsHarness({ calendar: createGraphCalendar(client) });
    await assignTestDsps(h);
    await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
    await installInTestTeam(h);
  });
  afterAll(async () => {
    await h.close();
    await graph.close();
  });
  beforeEach(async () => {
    await h.db.query('TRUNCATE cases, outbox, alerts, meetings, reference_counters CASCADE');
    graph.reset();
  });

  it('books in exactly two Graph calls, as the partnership mailbox, with a Teams meeting, a transactionId and the initials only', async () => {
    await referAt('2026-11-19T10:00:00Z'); // Thursday
    expect(await h.services.send()).toMatchObject({ sent: 1 });
    expect(graph.requests.map((r) => r.path)).toEqual([
      `/v1.0/users/${encodeURIComponent(MAILBOX)}/calendar/getSchedule`,
      `/v1.0/users/${encodeURIComponent(MAILBOX)}/events`,
    ]);
    for (const r of graph.requests) expect(r.authorization).toBe('Bearer test-graph-token');
    const schedule = graphCalls('getSchedule')[0]!;
    expect(schedule.body).toEqual({
      schedules: [MAILBOX, email('laDsp'), email('policeDsp'), email('healthDsp'), email('manager')].sort((a, b) =>
        a === MAILBOX ? -1 : b === MAILBOX ? 1 : 0,
      ),
      startTime: { dateTime: '2026-11-19T10:30:00.000', timeZone: 'UTC' },
      endTime: { dateTime: '2026-11-24T00:00:00.000', timeZone: 'UTC' }, // the end of Mon 23 Nov, the DSP decision's deadline
      availabilityViewInterval: 30,
    });
    const event = graphCalls('/events')[0]!.body;
    expect(event).toMatchObject({
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      start: { dateTime: '2026-11-19T10:30:00.000', timeZone: 'UTC' },
      end: { dateTime: '2026-11-19T11:30:00.000', timeZone: 'UTC' },
      subject: 'DSP teleconference: notification decision: HSSCP-2026-0001',
    });
    expect(String(event.transactionId)).toMatch(/:dsp_call$/);
    expect(
      (event.attendees as { type: string; emailAddress: { address: string } }[]).map((a) => [a.emailAddress.address, a.type]).sort(),
    ).toEqual([
      [email('healthDsp'), 'required'],
      [email('laDsp'), 'required'],
      [email('manager'), 'optional'],
      [email('policeDsp'), 'required'],
    ]);
    const body = JSON.stringify(event.body);
    expect(body).toContain('HSSCP-2026-0001 (child: A.T.)');
    for (const identifier of ['Alexandra', 'Testcase', '2019-03-14', '9434765919']) expect(body).not.toContain(identifier);
    expect(threadText()).toContain('DSP teleconference: notification decision booked for Thu 19 Nov 2026, 10:30-11:30 (London)');
    expect(threadText()).toContain('[Join the Teams meeting](https://teams.microsoft.com/l/meetup-join/');
    const { rows } = await h.db.query<{ status: string; join_url: string }>('SELECT status, join_url FROM meetings');
    expect(rows).toEqual([{ status: 'booked', join_url: expect.stringContaining('meetup-join') }]);
  });

  it('skips busy time, weekends and bank holidays: everyone busy on Thu 24 Dec 2026 gives Tue 29 Dec 09:00', async () => {
    graph.setBusy(MAILBOX, [{ start: '2026-12-24T00:00:00Z', end: '2026-12-25T00:00:00Z' }]);
    await referAt('2026-12-24T10:00:00Z');
    await h.services.send();
    expect(graphCalls('/events')[0]!.body.start).toEqual({ dateTime: '2026-12-29T09:00:00.000', timeZone: 'UTC' });
  });

  it('books in London hours across the October DST change: 09:00 BST on Friday is 08:00 UTC, 09:00 GMT on Monday is 09:00 UTC', async () => {
    graph.setBusy(email('policeDsp'), [{ start: '2026-10-23T09:00:00Z', end: '2026-10-24T00:00:00Z' }]);
    await referAt('2026-10-23T06:00:00Z'); // Friday 07:00 BST
    await h.services.send();
    expect(graphCalls('/events')[0]!.body.start).toEqual({ dateTime: '2026-10-23T08:00:00.000', timeZone: 'UTC' });
    await h.db.query('TRUNCATE cases, outbox, alerts, meetings, reference_counters CASCADE');
    graph.requests.length = 0;
    graph.setBusy(email('policeDsp'), [{ start: '2026-10-23T07:00:00Z', end: '2026-10-24T00:00:00Z' }]);
    await referAt('2026-10-23T06:00:00Z');
    await h.services.send();
    expect(graphCalls('/events')[0]!.body.start).toEqual({ dateTime: '2026-10-26T09:00:00.000', timeZone: 'UTC' });
  });

  it("keeps to each attendee's own working hours, in their own time zone", async () => {
    // A DSP on Pacific time (08:00-17:00 there is 16:00-01:00 in London): the only overlap with the
    // partnership's 09:00-17:00 is 16:00-17:00 London.
    graph.setWorkingHours(email('policeDsp'), {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: '08:00:00.0000000',
      endTime: '17:00:00.0000000',
      timeZone: { name: 'Pacific Standard Time' },
    });
    await referAt('2026-11-19T10:00:00Z');
    await h.services.send();
    expect(graphCalls('/events')[0]!.body.start).toEqual({ dateTime: '2026-11-19T16:00:00.000', timeZone: 'UTC' });
  });

  it('rides out a 429 with Retry-After (the graph-client retries it) and books once', async () => {
    graph.failNext('createEvent', {
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 'TooManyRequests', message: 'Please retry after' } },
    });
    await referAt('2026-11-19T10:00:00Z');
    expect(await h.services.send()).toMatchObject({ sent: 1 });
    expect(graphCalls('/events').map((r) => r.answered)).toEqual([429, 201]);
    expect(graph.events.size).toBe(1);
  });

  it('rides out 503s on getSchedule', async () => {
    graph.failNext('getSchedule', { kind: 'status', status: 503 }, 2);
    await referAt('2026-11-19T10:00:00Z');
    expect(await h.services.send()).toMatchObject({ sent: 1 });
    expect(graphCalls('getSchedule').map((r) => r.answered)).toEqual([503, 503, 200]);
  }, 20_000);

  it('never books twice when the answer to a create is lost: it times out, is retried later with the same transactionId, and Graph returns the same event', async () => {
    graph.failNext('createEvent', { kind: 'hang_after_create' });
    await referAt('2026-11-19T10:00:00Z');
    expect(await h.services.send()).toMatchObject({ retried: 1, sent: 0 });
    const { rows } = await h.db.query<{ last_error: string }>(`SELECT last_error FROM outbox WHERE kind = 'book_meeting'`);
    expect(rows[0]!.last_error).toContain('timed out');
    h.clock.advanceMs(5_000);
    expect(await h.services.send()).toMatchObject({ sent: 1 });
    const creates = graphCalls('/events');
    expect(creates).toHaveLength(2);
    expect(creates[0]!.body.transactionId).toBe(creates[1]!.body.transactionId);
    expect(graph.events.size).toBe(1);
    expect((await h.db.query('SELECT 1 FROM meetings')).rows).toHaveLength(1);
  }, 20_000);

  it('asks the attendees when some calendars cannot be read (a guest from another tenant), then books the most popular time', async () => {
    graph.setUnreadable(email('healthDsp'));
    await referAt('2026-11-19T10:00:00Z');
    await h.services.send();
    expect(graphCalls('/events')).toHaveLength(0);
    const poll = h
      .cardsSent((r) => r.conversationId?.startsWith(CHANNEL.id) ?? false)
      .find((c) => JSON.stringify(c.card).includes('meeting.pollVote'))!;
    const pollText = JSON.stringify(poll.card);
    expect(pollText).toContain('Not checked: Test DSP Health');
    expect(pollText).toContain('Thu 19 Nov 2026, 10:30-11:30 (London)');
    const meetingId = (await h.db.query<{ id: string }>(`SELECT id FROM meetings WHERE status = 'polling'`)).rows[0]!.id;
    const answer = async (who: 'laDsp' | 'policeDsp' | 'healthDsp' | 'outsider', option: number) =>
      JSON.stringify(
        (
          await h.send(
            adaptiveCardExecute({
              serviceUrl: h.connector.serviceUrl,
              bot: h.botAccount,
              from: { ...PEOPLE[who] },
              tenantId: TEST_TENANT_ID,
              verb: 'meeting.pollVote',
              data: { meetingId, option },
              conversationType: 'channel',
              team: TEAM,
              channel: CHANNEL,
            }),
          )
        ).body,
      );
    expect(await answer('outsider', 0)).toContain('Only people invited to this meeting can answer its poll');
    expect(await answer('laDsp', 1)).toContain('Your answer is recorded.');
    expect(await answer('policeDsp', 1)).toContain('2 can');
    expect(await answer('healthDsp', 0)).toContain('Everyone required has answered: booking Thu 19 Nov 2026, 11:00-12:00 (London)');
    expect(await answer('healthDsp', 2)).toContain('This poll is closed');
    await h.services.send();
    expect(graphCalls('/events')).toHaveLength(1);
    expect(graphCalls('/events')[0]!.body.start).toEqual({ dateTime: '2026-11-19T11:00:00.000', timeZone: 'UTC' });
    expect(threadText()).toContain('booked for Thu 19 Nov 2026, 11:00-12:00 (London)');
    expect(threadText()).toContain('Calendars that could not be checked: Test DSP Health');
  });

  it('lets the business manager book the most popular time without waiting for everyone', async () => {
    graph.setUnreadable(email('healthDsp'));
    await referAt('2026-11-19T10:00:00Z');
    await h.services.send();
    const meetingId = (await h.db.query<{ id: string }>(`SELECT id FROM meetings WHERE status = 'polling'`)).rows[0]!.id;
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.manager },
        tenantId: TEST_TENANT_ID,
        verb: 'meeting.pollBook',
        data: { meetingId },
        conversationType: 'channel',
        team: TEAM,
        channel: CHANNEL,
      }),
    );
    expect(JSON.stringify(res.body)).toContain('Booking Thu 19 Nov 2026, 10:30-11:30 (London)');
    await h.services.send();
    expect(graph.events.size).toBe(1);
  });

  it('says so in the thread when no Teams link came back', async () => {
    graph.omitJoinUrl(true);
    await referAt('2026-11-19T10:00:00Z');
    await h.services.send();
    expect(threadText()).toContain('no Teams link came back: check the event in Outlook before the call');
  });

  it('flags a risk to the clock, with the nearest options, when no slot is free in the window', async () => {
    graph.setBusy(email('laDsp'), [{ start: '2026-11-19T00:00:00Z', end: '2026-11-24T00:00:00Z' }]);
    await referAt('2026-11-19T10:00:00Z');
    await h.services.send();
    expect(threadText()).toContain('no time for the DSP teleconference: notification decision is free for everyone before the deadline');
    expect(threadText()).toContain('This puts the DSP decision at risk. Nearest options: Thu 19 Nov 2026, 10:30-11:30 (London), busy: 1');
    expect(graphCalls('/events')).toHaveLength(0);
  });

  it('raises a required attendee\'s decline in the thread once, and "Rebook" moves the same event', async () => {
    await referAt('2026-11-19T10:00:00Z');
    await h.services.send();
    expect(await h.services.checkMeetings()).toEqual({ checked: 1, declines: 0 });
    graph.setResponse(email('policeDsp'), 'declined');
    graph.setResponse(email('manager'), 'declined'); // optional: not raised
    h.connector.reset();
    expect(await h.services.checkMeetings()).toEqual({ checked: 1, declines: 1 });
    expect(await h.services.checkMeetings()).toEqual({ checked: 1, declines: 0 }); // once per decline
    const alert = h
      .cardsSent((r) => r.conversationId?.startsWith(CHANNEL.id) ?? false)
      .find((c) => JSON.stringify(c.card).includes('declined'))!;
    expect(JSON.stringify(alert.card)).toContain('HSSCP-2026-0001: Test DSP Police declined the DSP teleconference: notification decision');
    const meetingId = JSON.parse(JSON.stringify(alert.card)).actions[0].data.meetingId as string;

    graph.setBusy(email('policeDsp'), [{ start: '2026-11-19T10:30:00Z', end: '2026-11-19T12:00:00Z' }]);
    const refused = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.outsider },
        tenantId: TEST_TENANT_ID,
        verb: 'meeting.rebook',
        data: { meetingId },
        conversationType: 'channel',
        team: TEAM,
        channel: CHANNEL,
      }),
    );
    expect(JSON.stringify(refused.body)).toContain('Only the business manager or a DSP can rebook');
    const res = await h.send(
      adaptiveCardExecute({
        serviceUrl: h.connector.serviceUrl,
        bot: h.botAccount,
        from: { ...PEOPLE.manager },
        tenantId: TEST_TENANT_ID,
        verb: 'meeting.rebook',
        data: { meetingId },
        conversationType: 'channel',
        team: TEAM,
        channel: CHANNEL,
      }),
    );
    expect(JSON.stringify(res.body)).toContain('Moved to Thu 19 Nov 2026, 12:00-13:00 (London)');
    expect(graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/events'))).toHaveLength(1); // no second event
    expect(graph.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      start: { dateTime: '2026-11-19T12:00:00.000', timeZone: 'UTC' },
      end: { dateTime: '2026-11-19T13:00:00.000', timeZone: 'UTC' },
    });
    expect(threadText()).toContain('moved to Thu 19 Nov 2026, 12:00-13:00 (London). The invitation is updated.');
    expect((await h.db.query(`SELECT 1 FROM audit_log WHERE action IN ('meeting_declined', 'meeting_rebooked')`)).rows).toHaveLength(2);
  });

  it('books the rapid review when the Panel notification is recorded, ending 5 working days before the report is due', async () => {
    await assignRole(h.db, { role: 'rr_chair', scope: '', userId: PEOPLE.outsider.aadObjectId });
    await referAt('2026-11-19T10:00:00Z');
    await h.services.send(); // the DSP call
    graph.reset();
    // The chair is busy until the morning of the last day of the window.
    graph.setBusy(email('outsider'), [{ start: '2026-11-23T00:00:00Z', end: '2026-12-07T09:00:00Z' }]);
    h.clock.set('2026-11-23T10:00:00Z');
    const caseId = (await h.db.query<{ id: string }>('SELECT id FROM cases')).rows[0]!.id;
    await h.db.transaction((tx) =>
      recordCaseEvent(tx, h.services.ctx, caseId, {
        type: 'panel_notified',
        at: h.clock.now(),
        data: { notifiedOn: '2026-11-23', reference: 'CSPRP-TEST-1' },
        actor: 'test',
      }),
    );
    await h.services.send();
    // 15 working days from Mon 23 Nov is Mon 14 Dec; 5 working days before that ends Mon 7 Dec.
    expect(graphCalls('getSchedule')[0]!.body.endTime).toEqual({ dateTime: '2026-12-08T00:00:00.000', timeZone: 'UTC' });
    const event = graphCalls('/events')[0]!.body;
    expect(event.start).toEqual({ dateTime: '2026-12-07T09:00:00.000', timeZone: 'UTC' });
    expect(event.subject).toBe('Rapid review meeting: HSSCP-2026-0001');
    expect(JSON.stringify(event.body)).toContain('The criteria for a local child safeguarding practice review');
    expect(
      (event.attendees as { type: string; emailAddress: { address: string } }[]).find((a) => a.emailAddress.address === email('outsider'))
        ?.type,
    ).toBe('required');
  });

  it('lets the business manager cancel the booked meeting: the same event, cancelled in Outlook', async () => {
    await referAt('2026-11-19T10:00:00Z');
    await h.services.send();
    const booked = h
      .cardsSent((r) => r.conversationId?.startsWith(CHANNEL.id) ?? false)
      .find((c) => JSON.stringify(c.card).includes('meeting.cancel'))!;
    const meetingId = JSON.parse(JSON.stringify(booked.card)).actions[1].data.meetingId as string;
    const cancel = async (who: 'policeDsp' | 'manager') =>
      JSON.stringify(
        (
          await h.send(
            adaptiveCardExecute({
              serviceUrl: h.connector.serviceUrl,
              bot: h.botAccount,
              from: { ...PEOPLE[who] },
              tenantId: TEST_TENANT_ID,
              verb: 'meeting.cancel',
              data: { meetingId },
              conversationType: 'channel',
              team: TEAM,
              channel: CHANNEL,
            }),
          )
        ).body,
      );
    expect(await cancel('policeDsp')).toContain('Only the business manager can cancel');
    expect(await cancel('manager')).toContain('Cancelled. Attendees have been told.');
    expect(graph.requests.filter((r) => r.path.endsWith('/cancel'))).toHaveLength(1);
    expect([...graph.events.values()][0]!.isCancelled).toBe(true);
    expect((await h.db.query<{ status: string }>('SELECT status FROM meetings')).rows).toEqual([{ status: 'cancelled' }]);
    expect(await cancel('manager')).toContain('not booked any more');
  });

  it('asks for free/busy in groups of 20 for a larger meeting', async () => {
    const many = Array.from({ length: 22 }, (_, i) => ({
      id: `29:test-extra-${i}`,
      name: `Test Extra ${i}`,
      objectId: `00000000-0000-4000-8000-0000000a${String(i).padStart(4, '0')}`,
      aadObjectId: `00000000-0000-4000-8000-0000000a${String(i).padStart(4, '0')}`,
      email: `extra${i}@partnership.example`,
      tenantId: TEST_TENANT_ID,
    }));
    h.connector.setRoster([
      ...(h.connector.requests.length ? [] : []),
      ...many,
      ...Object.values(PEOPLE).map((p) => ({
        id: p.id,
        name: p.name,
        objectId: p.aadObjectId,
        aadObjectId: p.aadObjectId,
        email: `${Object.entries(PEOPLE)
          .find(([, v]) => v === p)![0]
          .toLowerCase()}@partnership.example`,
        tenantId: TEST_TENANT_ID,
      })),
    ]);
    for (const m of many) await assignRole(h.db, { role: 'business_manager', scope: '', userId: m.aadObjectId });
    await referAt('2026-11-19T10:00:00Z');
    await h.services.send();
    expect(graphCalls('getSchedule').map((r) => (r.body.schedules as string[]).length)).toEqual([20, 7]);
    expect(graphCalls('/events')).toHaveLength(1);
  });
});
