import type { Logger } from '../../adapters/log/logger.ts';
import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import {
  meetingIdOf,
  meetingPollOf,
  meetingStatus,
  recordMeetingBooked,
  recordMeetingNoSlot,
  recordMeetingPolling,
} from '../../adapters/store/meetingRepository.ts';
import { holdersOfRoles } from '../../adapters/store/roleAssignmentRepository.ts';
import { shiftDate } from '../../domain/clocks/shiftDate.ts';
import { bestSlots, type Interval, type Slot } from '../../domain/meetings/findSlots.ts';
import type { Duration } from '../../domain/profiles/profileSchema.ts';
import { fullDate } from '../../domain/time/formatLondon.ts';
import { endOfLondonDay } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import { renderCard } from '../cards/cardTemplates.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import { escapeHtml } from '../mail/caseEmails.ts';
import { ensureCaseThread, reachablePeople, sayInCaseThread } from '../teams/caseBroadcaster.ts';
import { describeSlot } from './describeSlot.ts';
import { pollCard } from './meetingPoll.ts';

const negate = (d: Duration): Duration =>
  'workingDays' in d ? { workingDays: -d.workingDays } : 'calendarDays' in d ? { calendarDays: -d.calendarDays } : { months: -d.months };
import type { TeamsGateway } from '../teams/teamsGateway.ts';
import type { CalendarGateway } from './calendarGateway.ts';

export interface BookingDeps {
  readonly ctx: AppContext;
  readonly calendar: CalendarGateway;
  readonly gateway: TeamsGateway;
  readonly logger: Logger;
  /** The partnership mailbox: the organizer of every meeting. */
  readonly organizer: string;
}

export type BookingResult = 'booked' | 'already_booked' | 'no_slot' | 'no_window' | 'polling';

/** The next half hour from now: meetings are not booked in the past or the next few minutes. */
function nextHalfHour(now: Date): Date {
  const step = 30 * 60_000;
  return new Date(Math.ceil((now.getTime() + 5 * 60_000) / step) * step);
}

function agenda(title: string, items: readonly string[], reference: string, initials: string, clockDue: string): string {
  // The invitation leaves the service: the case reference and the child's initials only (seed 000's
  // agenda itself writes "(Add Child's Initials)").
  const list = items.length > 0 ? items : ['The case and the decision needed'];
  return [
    `<p><b>${escapeHtml(title)}</b></p>`,
    `<p>Case ${escapeHtml(reference)} (child: ${escapeHtml(initials)}). Due ${escapeHtml(clockDue)}.</p>`,
    `<ol>${list.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ol>`,
    '<p>Full details are in the case record for those whose role allows it.</p>',
  ].join('');
}

/**
 * Books a profile meeting for a case (the HSSCP DSP call) in the partnership mailbox's calendar:
 * free/busy for the organizer and attendees inside the window the clock gives, the first slot on a
 * working day within meeting hours when everyone whose calendar could be read is free, then the event
 * with a Teams link. Two Graph calls for up to 20 attendees. The transactionId makes a retry return
 * the same event. The outcome is said in the case thread and kept in the case record.
 */
export async function bookMeeting(deps: BookingDeps, caseId: string, kind: string, chosen?: Interval): Promise<BookingResult> {
  const { ctx } = deps;
  const definition = ctx.profile.meetings.find((m) => m.kind === kind);
  if (!definition) throw new Error(`profile ${ctx.profile.id} has no meeting "${kind}"`);
  const transactionId = `${caseId}:${kind}`;
  if ((await meetingStatus(ctx.db, transactionId)) === 'booked') return 'already_booked';

  const snapshot = await loadCaseSnapshot(ctx, caseId);
  const clock = snapshot.clocks.find((c) => c.clockId === definition.clock);
  const channel = await findPartnershipChannel(ctx.db);
  const say = (text: string) => sayInCaseThread(deps, channel, caseId, text);
  if (!clock?.dueAt || !['pending', 'due_soon', 'overdue'].includes(clock.state)) return 'no_window';

  const roleHolders = await holdersOfRoles(ctx.db, definition.attendees);
  const people = await reachablePeople(deps, channel, [...new Set(roleHolders.map((h) => h.userId))]);
  const invitees = people
    .filter((p) => p.email)
    .map((p) => ({
      email: p.email!,
      name: p.displayName ?? p.email!,
      required: roleHolders.some((h) => h.userId === p.aadObjectId && definition.required.includes(h.role)),
    }));
  const { reference, summary } = snapshot.record;
  if (chosen) {
    // The poll's winner: the calendars were searched when the poll was made.
    const poll = await meetingPollOf(ctx.db, transactionId);
    return createBooking(deps, {
      caseId,
      kind,
      transactionId,
      definition,
      reference,
      initials: summary.initials,
      dueDate: clock.dueDate!,
      invitees,
      unchecked: poll?.unchecked ?? [],
      slot: chosen,
    });
  }
  const from = nextHalfHour(ctx.now());
  // The window ends at the clock's deadline, or earlier where the profile says so (a rapid review
  // must leave time for the governance meeting and the report).
  const to = definition.endsBefore ? endOfLondonDay(shiftDate(clock.dueDate!, negate(definition.endsBefore), ctx.calendar)) : clock.dueAt;
  const schedules = await deps.calendar.getSchedule(deps.organizer, [deps.organizer, ...invitees.map((i) => i.email)], from, to);
  const busy = new Map(schedules.filter((s) => s.readable).map((s) => [s.email, s.busy] as const));
  const unchecked = schedules.filter((s) => !s.readable).map((s) => invitees.find((i) => i.email === s.email)?.name ?? s.email);
  const { free, nearest } = bestSlots({
    from,
    to,
    durationMinutes: definition.durationMinutes,
    calendar: ctx.calendar,
    hours: ctx.profile.meetingHours,
    busy,
  });

  if (free.length === 0) {
    const options = nearest.map((s: Slot) => `${describeSlot(s)}${s.busyAttendees.length ? `, busy: ${s.busyAttendees.length}` : ''}`);
    await ctx.db.transaction(async (tx) => {
      await recordMeetingNoSlot(tx, { id: ctx.newId(), caseId, kind, transactionId, title: definition.title, at: ctx.now() });
      await appendAudit(tx, { at: ctx.now(), actor: 'system:meetings', action: 'meeting_no_slot', caseId, details: { reference, kind } });
    });
    await say(
      `${reference}: no time for the ${definition.title} is free for everyone before the deadline (${clock.dueDate}). This puts the ${clock.short} at risk. Nearest options: ${options.join('; ') || 'none in working hours'}.`,
    );
    return 'no_slot';
  }

  if (unchecked.length > 0) {
    // Some calendars could not be read (guests from another tenant): ask rather than guess.
    const required = (await holdersOfRoles(ctx.db, definition.required)).map((h) => h.userId);
    const poll = { options: free.map((f) => ({ start: f.start.toISOString(), end: f.end.toISOString() })), votes: {}, unchecked, required };
    const meetingId = ctx.newId();
    await ctx.db.transaction(async (tx) => {
      await recordMeetingPolling(tx, {
        id: meetingId,
        caseId,
        kind,
        transactionId,
        title: definition.title,
        unchecked,
        poll,
        at: ctx.now(),
      });
      await appendAudit(tx, {
        at: ctx.now(),
        actor: 'system:meetings',
        action: 'meeting_poll_opened',
        caseId,
        details: { reference, kind, options: poll.options.length },
      });
    });
    if (channel) {
      const id = await meetingIdOf(ctx.db, transactionId);
      const thread = await ensureCaseThread(deps, channel, caseId);
      await deps.gateway.replyCardInThread(
        channel,
        thread.conversationId,
        pollCard({ meetingId: id, reference, title: definition.title, poll }),
        `When should the ${definition.title} be?`,
      );
    }
    return 'polling';
  }
  return createBooking(deps, {
    caseId,
    kind,
    transactionId,
    definition,
    reference,
    initials: summary.initials,
    dueDate: clock.dueDate!,
    invitees,
    unchecked,
    slot: free[0]!,
  });
}

interface BookingRequest {
  caseId: string;
  kind: string;
  transactionId: string;
  definition: { title: string; agenda: readonly string[] };
  reference: string;
  initials: string;
  dueDate: string;
  invitees: { email: string; name: string; required: boolean }[];
  unchecked: string[];
  slot: Interval;
}

async function createBooking(deps: BookingDeps, r: BookingRequest): Promise<BookingResult> {
  const { ctx } = deps;
  const { definition, reference } = r;
  const booked = await deps.calendar.createEvent({
    organizer: deps.organizer,
    subject: `${definition.title}: ${reference}`,
    bodyHtml: agenda(definition.title, definition.agenda, reference, r.initials, `by the end of ${fullDate(r.dueDate)}`),
    start: r.slot.start,
    end: r.slot.end,
    attendees: r.invitees,
    transactionId: r.transactionId,
  });
  // A retry whose first attempt did create the event gets that event back: record its time, not the one asked for.
  const slot = booked.start && booked.end ? { start: booked.start, end: booked.end } : r.slot;
  const meetingRowId = ctx.newId();
  await ctx.db.transaction(async (tx) => {
    await recordMeetingBooked(tx, {
      id: meetingRowId,
      caseId: r.caseId,
      kind: r.kind,
      transactionId: r.transactionId,
      graphEventId: booked.id,
      start: slot.start,
      end: slot.end,
      joinUrl: booked.joinUrl ?? null,
      title: definition.title,
      unchecked: r.unchecked,
      at: ctx.now(),
    });
    await appendAudit(tx, {
      at: ctx.now(),
      actor: 'system:meetings',
      action: 'meeting_booked',
      caseId: r.caseId,
      details: { reference, kind: r.kind, start: slot.start.toISOString(), eventId: booked.id },
    });
  });
  // The join link comes from Graph, not from anything a person typed, so it can be a markdown link.
  const link = booked.joinUrl
    ? `[Join the Teams meeting](${booked.joinUrl}). Invitations sent to ${r.invitees.length} people.`
    : (booked.note ??
      `Invitations sent to ${r.invitees.length} people, but no Teams link came back: check the event in Outlook before the call.`);
  const notChecked = r.unchecked.length ? ` Calendars that could not be checked: ${r.unchecked.join(', ')}.` : '';
  const channel = await findPartnershipChannel(ctx.db);
  if (channel) {
    const meetingId = await meetingIdOf(ctx.db, r.transactionId);
    const thread = await ensureCaseThread(deps, channel, r.caseId);
    const card = renderCard('notice', {
      title: `${reference}: ${definition.title} booked for ${describeSlot(slot)}`,
      lines: [`${link}${notChecked}`],
      style: 'good',
      actions: [
        { title: 'Rebook', verb: 'meeting.rebook', data: { meetingId } },
        { title: 'Cancel', verb: 'meeting.cancel', data: { meetingId } },
      ],
    });
    await deps.gateway.replyCardInThread(channel, thread.conversationId, card, `${definition.title} booked`);
  }
  return 'booked';
}
