import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import { findMeeting, findMeetingWithReference, markMeetingCancelled, moveMeeting } from '../../adapters/store/meetingRepository.ts';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import { holdersOfRoles } from '../../adapters/store/roleAssignmentRepository.ts';
import { bestSlots } from '../../domain/meetings/findSlots.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import type { Actor } from '../teams/actor.ts';
import { reachablePeople, sayInCaseThread } from '../teams/caseBroadcaster.ts';
import type { BookingDeps } from './bookMeeting.ts';
import { describeSlot } from './describeSlot.ts';

/** "Cancel": the business manager calls the meeting off; Outlook sends the attendees the cancellation. Audited. */
export async function cancelMeeting(deps: BookingDeps, meetingId: string, actor: Actor): Promise<string> {
  const { ctx } = deps;
  if (!(await rolesOf(ctx.db, actor.aadObjectId)).some((r) => r.role === 'business_manager'))
    return 'Only the business manager can cancel a meeting.';
  const meeting = await findMeetingWithReference(ctx.db, meetingId);
  if (!meeting || meeting.status !== 'booked') return 'That meeting is not booked any more.';
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
  });
  await sayInCaseThread(
    deps,
    await findPartnershipChannel(ctx.db),
    meeting.case_id,
    `${meeting.reference}: ${meeting.title} cancelled. Attendees have been told.`,
  );
  return 'Cancelled. Attendees have been told.';
}

/**
 * "Rebook": moves the same event to the next slot when everyone is free, before the clock's deadline
 * and not at the current time. For the business manager or a DSP. Audited and said in the thread.
 */
export async function rebookMeeting(deps: BookingDeps, meetingId: string, actor: Actor): Promise<string> {
  const { ctx } = deps;
  const roles = await rolesOf(ctx.db, actor.aadObjectId);
  if (!roles.some((r) => r.role === 'business_manager' || r.role === 'dsp'))
    return 'Only the business manager or a DSP can rebook a meeting.';
  const meeting = await findMeeting(ctx.db, meetingId);
  if (!meeting || meeting.status !== 'booked') return 'That meeting is not booked any more.';
  const definition = ctx.profile.meetings.find((m) => m.kind === meeting.kind)!;
  const snapshot = await loadCaseSnapshot(ctx, meeting.case_id);
  const clock = snapshot.clocks.find((c) => c.clockId === definition.clock);
  if (!clock?.dueAt || !['pending', 'due_soon', 'overdue'].includes(clock.state))
    return 'The step this meeting was for is done: nothing to rebook.';
  const channel = await findPartnershipChannel(ctx.db);
  const holders = await holdersOfRoles(ctx.db, definition.attendees);
  const people = await reachablePeople(deps, channel, [...new Set(holders.map((h) => h.userId))]);
  const emails = people.flatMap((p) => (p.email ? [p.email] : []));
  const schedules = await deps.calendar.getSchedule(deps.organizer, [deps.organizer, ...emails], ctx.now(), clock.dueAt);
  const busy = new Map(schedules.filter((s) => s.readable).map((s) => [s.email, s.busy] as const));
  // The meeting itself shows as busy in the organizer's calendar; any other slot is a move.
  const { free } = bestSlots(
    {
      from: ctx.now(),
      to: clock.dueAt,
      durationMinutes: definition.durationMinutes,
      calendar: ctx.calendar,
      hours: ctx.profile.meetingHours,
      busy,
    },
    10,
  );
  const slot = free.find((s) => s.start.getTime() !== meeting.starts_at.getTime());
  if (!slot) return 'No other time is free for everyone before the deadline: the clock is at risk. Rebook by hand in Outlook.';
  await deps.calendar.moveEvent(deps.organizer, meeting.graph_event_id, slot.start, slot.end);
  const { reference } = snapshot.record;
  await ctx.db.transaction(async (tx) => {
    await moveMeeting(tx, meetingId, slot, ctx.now());
    await appendAudit(tx, {
      at: ctx.now(),
      actor: actor.aadObjectId,
      action: 'meeting_rebooked',
      caseId: meeting.case_id,
      details: { reference, kind: meeting.kind, from: meeting.starts_at.toISOString(), to: slot.start.toISOString() },
    });
  });
  await sayInCaseThread(
    deps,
    channel,
    meeting.case_id,
    `${reference}: ${meeting.title} moved to ${describeSlot(slot)}. The invitation is updated.`,
  );
  return `Moved to ${describeSlot(slot)}. The invitation is updated.`;
}
