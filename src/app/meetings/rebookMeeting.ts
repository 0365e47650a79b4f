import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import { findMeeting, findMeetingWithReference, markMeetingCancelled, moveMeeting } from '../../adapters/store/meetingRepository.ts';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import { holdersOfRoles } from '../../adapters/store/roleAssignmentRepository.ts';
import { bestSlots, type Interval } from '../../domain/meetings/findSlots.ts';
import { meetingStepEnd } from '../../domain/meetings/meetingStepEnd.ts';
import { endOfLondonDay, startOfLondonDay } from '../../domain/time/londonTime.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import type { Actor } from '../teams/actor.ts';
import { queueCaseChange } from '../teams/caseAnnouncements.ts';
import { reachablePeople, sayInCaseThread } from '../teams/caseBroadcaster.ts';
import { type BookingDeps, nextHalfHour } from './bookingDeps.ts';
import { caseMeetingWindow } from './caseMeetingWindow.ts';
import { describeSlot } from './describeSlot.ts';

/** What a meeting action says to the person who pressed it, and whether it changed the meeting (its cards follow). */
export interface MeetingActionResult {
  readonly text: string;
  readonly changed: boolean;
}

const unchanged = (text: string): MeetingActionResult => ({ text, changed: false });

/**
 * "Cancel": the business manager calls the meeting off; Outlook sends the attendees the cancellation.
 * Audited, with the case's coalesced refresh in the same transaction: every card about the meeting
 * then says who cancelled it and when, and has no button.
 */
export async function cancelMeeting(deps: BookingDeps, meetingId: string, actor: Actor): Promise<MeetingActionResult> {
  const { ctx } = deps;
  if (!(await rolesOf(ctx.db, actor.aadObjectId)).some((r) => r.role === 'business_manager'))
    return unchanged('Only the business manager can cancel a meeting.');
  const meeting = await findMeetingWithReference(ctx.db, meetingId);
  if (!meeting || meeting.status !== 'booked') return unchanged('That meeting is not booked any more.');
  await deps.calendar.cancelEvent(
    deps.organizer,
    meeting.graph_event_id,
    `Cancelled by the partnership's business manager (${meeting.reference}).`,
  );
  await ctx.db.transaction(async (tx) => {
    await markMeetingCancelled(tx, meetingId, ctx.now());
    await appendAudit(tx, {
      at: ctx.now(),
      actor: actor.aadObjectId,
      action: 'meeting_cancelled',
      caseId: meeting.case_id,
      details: { reference: meeting.reference, kind: meeting.kind },
    });
    await queueCaseChange(tx, ctx, meeting.case_id);
  });
  await sayInCaseThread(
    deps,
    await findPartnershipChannel(ctx.db),
    meeting.case_id,
    `${meeting.reference}: ${meeting.title} cancelled. Attendees have been told.`,
  );
  return { text: 'Cancelled. Attendees have been told.', changed: true };
}

/**
 * "Rebook": moves the same event to the next slot when everyone is free, before the clock's deadline
 * and not at the current time. For the business manager or a DSP. Audited and said in the thread;
 * the case's coalesced refresh goes in the same transaction, so the booking notice shows the new time
 * and the decline notices lose their "Rebook" (the decline they raised is answered).
 */
export async function rebookMeeting(deps: BookingDeps, meetingId: string, actor: Actor): Promise<MeetingActionResult> {
  const { ctx } = deps;
  const roles = await rolesOf(ctx.db, actor.aadObjectId);
  if (!roles.some((r) => r.role === 'business_manager' || r.role === 'dsp'))
    return unchanged('Only the business manager or a DSP can rebook a meeting.');
  const meeting = await findMeeting(ctx.db, meetingId);
  if (!meeting || meeting.status !== 'booked') return unchanged('That meeting is not booked any more.');
  const definition = ctx.profile.meetings.find((m) => m.kind === meeting.kind)!;
  const snapshot = await loadCaseSnapshot(ctx, meeting.case_id);
  const clock = snapshot.clocks.find((c) => c.clockId === definition.clock);
  if (
    !clock?.dueAt ||
    !['pending', 'due_soon', 'overdue'].includes(clock.state) ||
    meetingStepEnd(ctx.profile, meeting.kind, snapshot.events)
  )
    return unchanged('The step this meeting was for is done: nothing to rebook.');
  const channel = await findPartnershipChannel(ctx.db);
  const holders = await holdersOfRoles(ctx.db, definition.attendees);
  const people = await reachablePeople(deps, channel, [...new Set(holders.map((h) => h.userId))]);
  const emails = people.flatMap((p) => (p.email ? [p.email] : []));
  // From the next half hour, as a booking is: a meeting is not moved to a time already begun; and
  // inside the meeting's window (after the information it needs, before what follows it).
  const window = await caseMeetingWindow(ctx, ctx.db, snapshot, meeting.kind);
  const opens = window?.earliest ? startOfLondonDay(window.earliest) : undefined;
  const to = window ? endOfLondonDay(window.latest) : clock.dueAt;
  const soonest = nextHalfHour(ctx.now());
  const from = opens && opens > soonest && opens < to ? opens : soonest;
  const schedules = await deps.calendar.getSchedule(deps.organizer, [deps.organizer, ...emails], from, to);
  const busy = new Map(schedules.filter((s) => s.readable).map((s) => [s.email, s.busy] as const));
  // The meeting itself shows as busy in the organizer's calendar; any other slot is a move.
  const { free } = bestSlots(
    {
      from,
      to,
      durationMinutes: definition.durationMinutes,
      calendar: ctx.calendar,
      hours: ctx.profile.meetingHours,
      busy,
    },
    10,
  );
  const slot = free.find((s) => s.start.getTime() !== meeting.starts_at.getTime());
  if (!slot) return unchanged('No other time is free for everyone before the deadline: the clock is at risk. Rebook by hand in Outlook.');
  await moveBookedMeeting(deps, { id: meetingId, ...meeting }, slot, actor.aadObjectId, snapshot.record.reference);
  return { text: `Moved to ${describeSlot(slot)}. The invitation is updated.`, changed: true };
}

/**
 * Moves a booked meeting's Outlook event to `slot` (Graph updates the invitations), and records the
 * move: audited, said in the thread, the case's cards refreshed in the same transaction. The
 * "Rebook" button and a date set by hand (the rapid review set-up's meeting date) both move it here.
 */
export async function moveBookedMeeting(
  deps: BookingDeps,
  meeting: { id: string; case_id: string; kind: string; graph_event_id: string; starts_at: Date; title: string },
  slot: Interval,
  actor: string,
  reference: string,
  why = '',
): Promise<void> {
  const { ctx } = deps;
  await deps.calendar.moveEvent(deps.organizer, meeting.graph_event_id, slot.start, slot.end);
  await ctx.db.transaction(async (tx) => {
    await moveMeeting(tx, meeting.id, slot, ctx.now());
    await appendAudit(tx, {
      at: ctx.now(),
      actor,
      action: 'meeting_rebooked',
      caseId: meeting.case_id,
      details: { reference, kind: meeting.kind, from: meeting.starts_at.toISOString(), to: slot.start.toISOString() },
    });
    await queueCaseChange(tx, ctx, meeting.case_id);
  });
  await sayInCaseThread(
    deps,
    await findPartnershipChannel(ctx.db),
    meeting.case_id,
    `${reference}: ${meeting.title} moved to ${describeSlot(slot)}${why}. The invitation is updated.`,
  );
}
