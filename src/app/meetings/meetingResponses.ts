import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import { saveMeetingResponses, upcomingBookedMeetings } from '../../adapters/store/meetingRepository.ts';
import { holdersOfRoles } from '../../adapters/store/roleAssignmentRepository.ts';
import { reachablePeople } from '../teams/caseBroadcaster.ts';
import type { BookingDeps } from './bookMeeting.ts';
import { postMeetingCard } from './refreshMeetingCards.ts';

/**
 * Reads attendees' answers to upcoming meetings: all of them on each watch (polling works where change
 * notifications cannot arrive, e.g. a local run), or one when a change notification names its event. A decline from a required attendee (a DSP) raises an alert in the case
 * thread with a "Rebook" button, once per decline. The alert is remembered, so it follows the case:
 * no button once the meeting is moved or cancelled, or its step is done (refreshMeetingCards.ts).
 */
export async function checkMeetingResponses(deps: BookingDeps, eventId?: string): Promise<{ checked: number; declines: number }> {
  const { ctx } = deps;
  const channel = await findPartnershipChannel(ctx.db);
  const rows = await upcomingBookedMeetings(ctx.db, ctx.now(), eventId);
  let declines = 0;
  for (const meeting of rows) {
    const { responses } = await deps.calendar.getResponses(deps.organizer, meeting.graph_event_id);
    const definition = ctx.profile.meetings.find((m) => m.kind === meeting.kind);
    const required = await holdersOfRoles(ctx.db, definition?.required ?? []);
    const people = await reachablePeople(
      deps,
      channel,
      required.map((r) => r.userId),
    );
    const declined = people.filter(
      (p) => p.email && responses[p.email.toLowerCase()] === 'declined' && meeting.responses[p.email.toLowerCase()] !== 'declined',
    );
    if (declined.length > 0 && channel) {
      const names = declined.map((p) => p.displayName ?? 'a required attendee').join(', ');
      await postMeetingCard(
        deps,
        channel,
        meeting.case_id,
        { card: 'declined', meetingId: meeting.id, startsAt: meeting.starts_at, declined: declined.map((p) => p.aadObjectId) },
        `${names} declined the ${meeting.title}`,
      );
      declines += declined.length;
    }
    await ctx.db.transaction(async (tx) => {
      await saveMeetingResponses(tx, meeting.id, responses, ctx.now());
      if (declined.length > 0) {
        await appendAudit(tx, {
          at: ctx.now(),
          actor: 'system:meetings',
          action: 'meeting_declined',
          caseId: meeting.case_id,
          details: { reference: meeting.reference, kind: meeting.kind, declined: declined.map((p) => p.aadObjectId) },
        });
      }
    });
  }
  return { checked: rows.length, declines };
}
