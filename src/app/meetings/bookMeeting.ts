import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import {
  findMeeting,
  meetingIdOf,
  meetingPollOf,
  meetingStatus,
  recordMeetingBooked,
  recordMeetingNoSlot,
  recordMeetingPolling,
} from '../../adapters/store/meetingRepository.ts';
import { holdersOfRoles } from '../../adapters/store/roleAssignmentRepository.ts';
import { bestSlots, type Interval, type Slot } from '../../domain/meetings/findSlots.ts';
import { meetingStepEnd } from '../../domain/meetings/meetingStepEnd.ts';
import type { MeetingDefinition } from '../../domain/profiles/profileSchema.ts';
import { fullDate } from '../../domain/time/formatLondon.ts';
import { endOfLondonDay, londonDateOf, startOfLondonDay } from '../../domain/time/londonTime.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import { escapeHtml } from '../mail/caseEmails.ts';
import { queueCaseChange } from '../teams/caseAnnouncements.ts';
import { reachablePeople, sayInCaseThread } from '../teams/caseBroadcaster.ts';
import { type BookingDeps, nextHalfHour } from './bookingDeps.ts';
import { caseMeetingWindow, dateSetByHand } from './caseMeetingWindow.ts';
import { describeSlot } from './describeSlot.ts';
import { moveBookedMeeting } from './rebookMeeting.ts';
import { postMeetingCard } from './refreshMeetingCards.ts';

export type { BookingDeps } from './bookingDeps.ts';

export type BookingResult = 'booked' | 'already_booked' | 'no_slot' | 'no_window' | 'polling';

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
  const status = await meetingStatus(ctx.db, transactionId);
  if (status === 'booked' && !definition.movedBy) return 'already_booked';

  const snapshot = await loadCaseSnapshot(ctx, caseId);
  const clock = snapshot.clocks.find((c) => c.clockId === definition.clock);
  const channel = await findPartnershipChannel(ctx.db);
  const say = (text: string) => sayInCaseThread(deps, channel, caseId, text);
  if (!clock?.dueAt || !['pending', 'due_soon', 'overdue'].includes(clock.state))
    return status === 'booked' ? 'already_booked' : 'no_window';
  // The step it serves already done (the rapid review's outcome recorded): no meeting is needed.
  if (meetingStepEnd(ctx.profile, kind, snapshot.events)) return status === 'booked' ? 'already_booked' : 'no_window';
  // A date set by hand (the rapid review set-up's "meeting date"): the meeting is on that day.
  const byHand = dateSetByHand(ctx, snapshot, kind);
  if (status === 'booked' && !byHand) return 'already_booked';

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
  if (status === 'booked') return moveToDateSetByHand(deps, { reference, transactionId, definition, day: byHand!, invitees });
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
      fromPoll: true,
    });
  }
  // The window (meetingWindow.ts): after the information it needs and the meeting before it, and
  // ending at the clock's deadline, or earlier where the profile says so (a rapid review must leave
  // time for the governance meeting and the report). A date set by hand is that day.
  const window = await caseMeetingWindow(ctx, ctx.db, snapshot, kind);
  const soonest = nextHalfHour(ctx.now());
  const bounds = byHand
    ? { from: startOfLondonDay(byHand), to: endOfLondonDay(byHand) }
    : { from: window?.earliest ? startOfLondonDay(window.earliest) : soonest, to: window ? endOfLondonDay(window.latest) : clock.dueAt };
  // No time left between what must come first and the deadline: the deadline wins, and the thread says so.
  const squeezed = !byHand && bounds.from >= bounds.to;
  const from = squeezed || bounds.from < soonest ? soonest : bounds.from;
  const to = bounds.to;
  if (squeezed && window?.opensBecause)
    await say(
      `${reference}: the ${definition.title} cannot wait until after ${window.opensBecause} and still be held by ${fullDate(window.latest)}: it is booked as early as it can be.`,
    );
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
      await postMeetingCard(deps, channel, caseId, { card: 'poll', meetingId: id }, `When should the ${definition.title} be?`);
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
    fromPoll: false,
  });
}

/**
 * The booked meeting follows a date set by hand: the same Outlook event moves to the first time that
 * day when everyone whose calendar could be read is free (else the one fewest are busy at), through
 * the rebook path (rebookMeeting.ts). Already on that day: nothing to do.
 */
async function moveToDateSetByHand(
  deps: BookingDeps,
  r: { reference: string; transactionId: string; definition: MeetingDefinition; day: string; invitees: { email: string }[] },
): Promise<BookingResult> {
  const { ctx } = deps;
  const meetingId = await meetingIdOf(ctx.db, r.transactionId);
  const meeting = await findMeeting(ctx.db, meetingId);
  if (!meeting || londonDateOf(meeting.starts_at) === r.day) return 'already_booked';
  const soonest = nextHalfHour(ctx.now());
  const from = startOfLondonDay(r.day) < soonest ? soonest : startOfLondonDay(r.day);
  const to = endOfLondonDay(r.day);
  if (from >= to) return 'already_booked';
  const schedules = await deps.calendar.getSchedule(deps.organizer, [deps.organizer, ...r.invitees.map((i) => i.email)], from, to);
  const busy = new Map(schedules.filter((s) => s.readable).map((s) => [s.email, s.busy] as const));
  // The meeting itself is busy in the organizer's calendar only at its old time, on another day.
  const { free, nearest } = bestSlots({
    from,
    to,
    durationMinutes: r.definition.durationMinutes,
    calendar: ctx.calendar,
    hours: ctx.profile.meetingHours,
    busy,
  });
  const slot = free[0] ?? nearest[0];
  if (!slot) {
    await sayInCaseThread(
      deps,
      await findPartnershipChannel(ctx.db),
      meeting.case_id,
      `${r.reference}: the ${r.definition.title} date set by hand (${fullDate(r.day)}) has no meeting hours; the booked meeting stays where it is. Move it in Outlook.`,
    );
    return 'already_booked';
  }
  await moveBookedMeeting(deps, { id: meetingId, ...meeting }, slot, 'system:meetings', r.reference, ', the date set by hand');
  return 'booked';
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
  /** The poll's chosen time: the poll's card follows (it says the time is booked). */
  fromPoll: boolean;
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
      invited: r.invitees.length,
      calendarNote: booked.joinUrl ? null : (booked.note ?? null),
      at: ctx.now(),
    });
    await appendAudit(tx, {
      at: ctx.now(),
      actor: 'system:meetings',
      action: 'meeting_booked',
      caseId: r.caseId,
      details: { reference, kind: r.kind, start: slot.start.toISOString(), eventId: booked.id },
    });
    if (r.fromPoll) await queueCaseChange(tx, ctx, r.caseId);
  });
  // The notice is drawn from the meeting's row (its link, the invitations, the calendars not checked),
  // as every later redraw of it is (meetingCards.ts).
  const channel = await findPartnershipChannel(ctx.db);
  if (channel) {
    const meetingId = await meetingIdOf(ctx.db, r.transactionId);
    await postMeetingCard(deps, channel, r.caseId, { card: 'booked', meetingId }, `${definition.title} booked`);
  }
  return 'booked';
}
