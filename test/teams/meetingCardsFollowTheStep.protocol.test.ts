// Meeting cards follow the step (issue #14 item 3): every card the bot posts about a meeting (the
// booking notice with Rebook and Cancel, the poll, a decline notice asking to rebook) is redrawn once
// the meeting's step is done, or anyone moves or cancels it or closes its poll: it says what
// happened, who and when, and has no button that asks for what is done. Through the real app (auth
// on) and the Graph stand-in; the redraws leave through the outbox (h.settle() runs its sender), and
// what Teams was sent is read from the Bot Connector stand-in's updateActivity bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createGraphCalendar } from '../../src/adapters/graph/graphCalendar.ts';
import { type CaseMessage, listCaseMessages } from '../../src/adapters/store/caseMessageRepository.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import { describeSlot } from '../../src/app/meetings/describeSlot.ts';
import { queueCaseChange } from '../../src/app/teams/caseAnnouncements.ts';
import { TEST_TENANT_ID } from '../support/botframework/localIdentityProvider.ts';
import { adaptiveCardExecute } from '../support/botframework/teamsActivities.ts';
import { REFERRAL_FORM } from '../support/fixtures.ts';
import { graphClientFor, type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
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

const email = (key: PersonKey) => `${key.toLowerCase()}@partnership.example`;

/** The verbs of a card's live actions (buttons a person can press), not its refresh. */
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

/** The harness, a case referred at Thu 19 Nov 2026 10:00 and its first meeting booked (or polled) through Graph. */
async function startWithCase(graph: GraphStandIn): Promise<{ h: TeamsHarness; caseId: string }> {
  const h = await startTeamsHarness({ calendar: createGraphCalendar(graphClientFor(graph)) });
  await assignTestDsps(h);
  await assignRole(h.db, { role: 'business_manager', scope: '', userId: PEOPLE.manager.aadObjectId });
  await assignRole(h.db, { role: 'la_notifier', scope: 'Hartlepool', userId: PEOPLE.notifier.aadObjectId });
  await assignRole(h.db, { role: 'rr_chair', scope: '', userId: PEOPLE.policeLead.aadObjectId });
  await installInTestTeam(h);
  const receipt = await invokeAs(h, 'referrer', 'referral.submit', REFERRAL_FORM, 'personal');
  expect(receipt).toContain('HSSCP-2026-0001');
  await h.settle();
  const caseId = (await h.db.query<{ id: string }>(`SELECT id FROM cases WHERE reference = 'HSSCP-2026-0001'`)).rows[0]!.id;
  await h.services.send(); // the DSP call: booked, or a poll when a calendar cannot be read
  await h.settle();
  return { h, caseId };
}

async function invokeAs(
  h: TeamsHarness,
  who: PersonKey,
  verb: string,
  data: Record<string, unknown>,
  conversationType: 'personal' | 'channel' = 'channel',
): Promise<string> {
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
  return JSON.stringify(res.body);
}

/** The card a remembered message shows now: the last update the connector received for it. */
function lastCardOf(h: TeamsHarness, message: CaseMessage | undefined): string {
  expect(message, 'the card is remembered').toBeDefined();
  const card = h.cardsSent((r) => r.route === 'updateActivity' && r.activityId === message!.activityId).at(-1)?.card;
  expect(card, `the card ${message!.recipient} was updated`).toBeDefined();
  return JSON.stringify(card);
}

/** The card first posted (not an update) whose text has `text`. */
const postedCard = (h: TeamsHarness, text: string) =>
  h
    .cardsSent((r) => r.route !== 'updateActivity')
    .filter((c) => JSON.stringify(c.card).includes(text))
    .at(-1)?.card;

const meetingCards = async (h: TeamsHarness, caseId: string) =>
  (await listCaseMessages(h.db, caseId)).filter((m) => m.purpose === 'meeting');

describe('meeting cards follow the step: the DSP call, its decline notice and the rapid review', () => {
  let graph: GraphStandIn;
  let h: TeamsHarness;
  let caseId: string;
  const card = async (kind: 'booked' | 'declined', meetingId?: string) =>
    (await meetingCards(h, caseId)).find((m) => m.recipient.split('|')[1] === kind && (!meetingId || m.recipient.startsWith(meetingId)));
  const meetingOf = async (kind: string) =>
    (
      await h.db.query<{ id: string; starts_at: Date; ends_at: Date }>(
        'SELECT id, starts_at, ends_at FROM meetings WHERE case_id = $1 AND kind = $2',
        [caseId, kind],
      )
    ).rows[0]!;

  beforeAll(async () => {
    graph = await startGraphStandIn();
    ({ h, caseId } = await startWithCase(graph));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await graph?.close();
  });

  it('posts the booking notice with Rebook and Cancel, and remembers it', async () => {
    const booked = await card('booked');
    expect(booked, 'the booking notice is remembered').toBeDefined();
    const posted = postedCard(h, 'DSP teleconference: notification decision booked for');
    expect(verbsOf(posted)).toEqual(['meeting.rebook', 'meeting.cancel']);
  });

  it('takes Rebook off the decline notice once anyone moves the meeting, saying who and when; the booking notice shows the new time', async () => {
    graph.setResponse(email('policeDsp'), 'declined');
    expect(await h.services.checkMeetings()).toEqual({ checked: 1, declines: 1 });
    const declined = await card('declined');
    expect(declined, 'the decline notice is remembered').toBeDefined();
    h.connector.reset();
    const { id: meetingId } = await meetingOf('dsp_call');
    // Moved from the booking notice, not from the decline notice.
    expect(await invokeAs(h, 'manager', 'meeting.rebook', { meetingId })).toContain('Moved to');
    await h.settle();
    const now = await meetingOf('dsp_call');
    const slot = describeSlot({ start: now.starts_at, end: now.ends_at });
    const decline = lastCardOf(h, declined);
    expect(verbsOf(JSON.parse(decline))).toEqual([]);
    expect(decline).toContain('Test DSP Police declined the DSP teleconference');
    expect(decline).toContain(`Rebooked by Test Business Manager on Thu 19 Nov 2026, 10:00: now ${slot}.`);
    const booking = lastCardOf(h, await card('booked'));
    expect(booking).toContain(`booked for ${slot}`);
    expect(booking).toContain('Moved to this time by Test Business Manager on Thu 19 Nov 2026, 10:00.');
    // Still booked and its step still to do: it can be moved or cancelled again.
    expect(verbsOf(JSON.parse(booking))).toEqual(['meeting.rebook', 'meeting.cancel']);
  });

  it('leaves no button on any card about the DSP call once the DSP decision is made, and says by whom and when', async () => {
    h.clock.set('2026-11-19T14:05:00Z');
    h.connector.reset();
    for (const [who, agency] of [
      ['laDsp', 'local_authority'],
      ['policeDsp', 'police'],
      ['healthDsp', 'health'],
    ] as const) {
      await invokeAs(h, who, 'case.vote', { caseId, agency, decision: 'notify', rationale: `${agency}: notify (fictional).` });
    }
    await h.settle();
    const cards = await meetingCards(h, caseId);
    expect(cards.map((m) => m.recipient.split('|')[1]).sort()).toEqual(['booked', 'declined']);
    for (const message of cards) {
      const shown = lastCardOf(h, message);
      expect(verbsOf(JSON.parse(shown)), message.recipient).toEqual([]);
      expect(shown).toContain("Done: DSP decision recorded by the DSPs' votes on Thu 19 Nov 2026, 14:05. Nothing more is needed here.");
    }
    // A stale Rebook pressed now changes nothing.
    const { id: meetingId } = await meetingOf('dsp_call');
    expect(await invokeAs(h, 'laDsp', 'meeting.rebook', { meetingId })).toContain('The step this meeting was for is done');
  });

  it('does not update a meeting card again when nothing it shows has changed', async () => {
    await h.settle();
    h.connector.reset();
    await h.db.transaction((tx) => queueCaseChange(tx, h.services.ctx, caseId));
    await h.settle();
    expect(h.connector.requests.filter((r) => r.route === 'updateActivity')).toEqual([]);
  });

  it('takes Rebook and Cancel off the rapid review notice once its outcome is recorded, naming who and when', async () => {
    expect(
      await invokeAs(h, 'manager', 'case.confirmNotification', { caseId, notifiedOn: '2026-11-19', panelReference: 'CSPRP-TEST-0002' }),
    ).toContain('Recorded: the Panel was notified');
    await h.settle();
    await h.services.send(); // the rapid review meeting, booked through Graph
    await h.settle();
    const { id: meetingId } = await meetingOf('rapid_review');
    const notice = await card('booked', meetingId);
    expect(notice, 'the rapid review notice is remembered').toBeDefined();
    const posted = postedCard(h, 'Rapid review meeting booked for');
    expect(verbsOf(posted)).toEqual(['meeting.rebook', 'meeting.cancel']);

    h.clock.set('2026-11-26T15:00:00Z');
    h.connector.reset();
    const views = Object.fromEntries(h.services.ctx.profile.reviewCriteria.map((c) => [`view_${c.id}`, 'met']));
    const recorded = await invokeAs(h, 'manager', 'case.step', {
      caseId,
      step: 'rr_meeting_held',
      heldOn: '2026-11-26',
      ...views,
      conclusion: 'local_review',
      reasons: 'Fictional reasons for the conclusion.',
    });
    expect(recorded).toContain('Recorded');
    await h.settle();
    const shown = lastCardOf(h, notice);
    expect(verbsOf(JSON.parse(shown))).toEqual([]);
    expect(shown).toContain(
      'Done: Test Business Manager recorded on Thu 26 Nov 2026, 15:00 that the Rapid review meeting took place. Nothing more is needed here.',
    );
  });
});

describe('meeting cards follow the step: the poll, and a cancelled meeting', () => {
  let graph: GraphStandIn;
  let h: TeamsHarness;
  let caseId: string;
  const card = async (kind: 'booked' | 'poll') => (await meetingCards(h, caseId)).find((m) => m.recipient.split('|')[1] === kind);
  let meetingId: string;

  beforeAll(async () => {
    graph = await startGraphStandIn();
    graph.setUnreadable(email('healthDsp')); // a guest's calendar: the attendees are asked instead
    ({ h, caseId } = await startWithCase(graph));
    meetingId = (await h.db.query<{ id: string }>(`SELECT id FROM meetings WHERE status = 'polling'`)).rows[0]!.id;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await graph?.close();
  });

  it("shows everyone each answer, and takes the poll's buttons off once the business manager closes it, saying who and when", async () => {
    const poll = await card('poll');
    expect(poll, 'the poll is remembered').toBeDefined();
    h.connector.reset();
    expect(await invokeAs(h, 'laDsp', 'meeting.pollVote', { meetingId, option: 1 })).toContain('Your answer is recorded.');
    await h.settle();
    const answered = lastCardOf(h, poll);
    expect(answered).toContain('1 can');
    expect(verbsOf(JSON.parse(answered))).toContain('meeting.pollVote');

    h.clock.set('2026-11-19T10:10:00Z');
    expect(await invokeAs(h, 'manager', 'meeting.pollBook', { meetingId })).toContain('Closed early by Test Business Manager');
    await h.settle();
    const closed = lastCardOf(h, poll);
    expect(verbsOf(JSON.parse(closed))).toEqual([]);
    expect(closed).toContain('Closed early by Test Business Manager on Thu 19 Nov 2026, 10:10. Booking ');

    await h.services.send(); // the chosen time, booked through Graph
    await h.settle();
    const { rows } = await h.db.query<{ starts_at: Date; ends_at: Date }>('SELECT starts_at, ends_at FROM meetings WHERE id = $1', [
      meetingId,
    ]);
    const slot = describeSlot({ start: rows[0]!.starts_at, end: rows[0]!.ends_at });
    expect(lastCardOf(h, poll)).toContain(`Closed early by Test Business Manager on Thu 19 Nov 2026, 10:10. Booked for ${slot}.`);
  });

  it('says on every card about the meeting that the business manager cancelled it, and when, with no button', async () => {
    h.clock.set('2026-11-19T10:20:00Z');
    h.connector.reset();
    expect(await invokeAs(h, 'manager', 'meeting.cancel', { meetingId })).toContain('Cancelled. Attendees have been told.');
    await h.settle();
    for (const message of [await card('booked'), await card('poll')]) {
      const shown = lastCardOf(h, message);
      expect(verbsOf(JSON.parse(shown)), message?.recipient).toEqual([]);
      expect(shown).toContain('Cancelled by Test Business Manager on Thu 19 Nov 2026, 10:20. Attendees were told.');
    }
  });
});
