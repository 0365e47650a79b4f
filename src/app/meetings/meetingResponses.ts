import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import { holdersOfRoles } from '../../adapters/store/roleAssignmentRepository.ts';
import { renderCard } from '../cards/cardTemplates.ts';
import { ensureCaseThread, reachablePeople } from '../teams/caseBroadcaster.ts';
import type { BookingDeps } from './bookMeeting.ts';
import { describeSlot } from './describeSlot.ts';
import type { AttendeeResponse } from './calendarGateway.ts';

interface UpcomingMeeting {
  id: string; case_id: string; kind: string; graph_event_id: string; starts_at: Date; ends_at: Date; title: string;
  responses: Record<string, AttendeeResponse>; reference: string;
}

/**
 * Reads attendees' answers to upcoming meetings: all of them on each watch (polling works where change
 * notifications cannot arrive, e.g. a local run), or one when a change notification names its event. A decline from a required attendee (a DSP) raises an alert in the case
 * thread with a "Rebook" button, once per decline.
 */
export async function checkMeetingResponses(deps: BookingDeps, eventId?: string): Promise<{ checked: number; declines: number }> {
  const { ctx } = deps;
  const channel = await findPartnershipChannel(ctx.db);
  const { rows } = await ctx.db.query<UpcomingMeeting>(
    `SELECT m.id, m.case_id, m.kind, m.graph_event_id, m.starts_at, m.ends_at, m.title, m.responses, c.reference
     FROM meetings m JOIN cases c ON c.id = m.case_id
     WHERE m.status = 'booked' AND m.starts_at > $1 AND m.graph_event_id IS NOT NULL AND m.graph_event_id NOT LIKE 'local:%'
       AND ($2::text IS NULL OR m.graph_event_id = $2)`,
    [ctx.now(), eventId ?? null],
  );
  let declines = 0;
  for (const meeting of rows) {
    const { responses } = await deps.calendar.getResponses(deps.organizer, meeting.graph_event_id);
    const definition = ctx.profile.meetings.find((m) => m.kind === meeting.kind);
    const required = await holdersOfRoles(ctx.db, definition?.required ?? []);
    const people = await reachablePeople(deps, channel, required.map((r) => r.userId));
    const declined = people.filter((p) => p.email && responses[p.email.toLowerCase()] === 'declined' && meeting.responses[p.email.toLowerCase()] !== 'declined');
    if (declined.length > 0 && channel) {
      const names = declined.map((p) => p.displayName ?? 'a required attendee').join(', ');
      const thread = await ensureCaseThread(deps, channel, meeting.case_id);
      const card = renderCard('notice', {
        title: `${meeting.reference}: ${names} declined the ${meeting.title}`,
        lines: [`It is booked for ${describeSlot({ start: meeting.starts_at, end: meeting.ends_at })}. Rebooking moves the same invitation to the next time everyone is free before the deadline.`],
        style: 'warning',
        actions: [{ title: 'Rebook', verb: 'meeting.rebook', data: { meetingId: meeting.id } }],
      });
      await deps.gateway.replyCardInThread(channel, thread.conversationId, card, `${names} declined the ${meeting.title}`);
      declines += declined.length;
    }
    await ctx.db.transaction(async (tx) => {
      await tx.query('UPDATE meetings SET responses = $2, checked_at = $3 WHERE id = $1', [meeting.id, JSON.stringify(responses), ctx.now()]);
      if (declined.length > 0) {
        await appendAudit(tx, { at: ctx.now(), actor: 'system:meetings', action: 'meeting_declined', caseId: meeting.case_id, details: { reference: meeting.reference, kind: meeting.kind, declined: declined.map((p) => p.aadObjectId) } });
      }
    });
  }
  return { checked: rows.length, declines };
}
