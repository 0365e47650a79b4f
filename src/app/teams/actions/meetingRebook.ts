import { z } from 'zod';

import { noticeCard } from '../../cards/noticeCard.ts';
import { rebookMeeting } from '../../meetings/rebookMeeting.ts';
import { cardAction, recordId } from './cardAction.ts';

/** "Rebook" on a booked meeting's card: the same event, moved to the next slot everyone is free. */
export const meetingRebook = cardAction({
  verb: 'meeting.rebook',
  data: z.looseObject({ meetingId: recordId }),
  async handle({ meetingId }, actor, deps, turn) {
    if (!deps.calendar || !deps.organizer) return noticeCard('Not available', ['Meetings are not configured.']);
    // Moves the event in Outlook, then records it and says so in the thread.
    turn.mayCommit();
    const result = await rebookMeeting(
      { ctx: deps.ctx, gateway: deps.gateway, logger: deps.logger, calendar: deps.calendar, organizer: deps.organizer },
      meetingId,
      actor,
    );
    // Changed: the case's refresh is queued with it (every card about the meeting follows); wake the sender.
    if (result.changed) turn.committed({ queued: true });
    return noticeCard('Rebook', [result.text], result.changed ? 'good' : 'attention');
  },
});
