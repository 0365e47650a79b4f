import { z } from 'zod';

import { noticeCard } from '../../cards/noticeCard.ts';
import { cancelMeeting } from '../../meetings/rebookMeeting.ts';
import { cardAction, recordId } from './cardAction.ts';

/** "Cancel" on a booked meeting's card (the business manager): Outlook tells the attendees. */
export const meetingCancel = cardAction({
  verb: 'meeting.cancel',
  data: z.looseObject({ meetingId: recordId }),
  async handle({ meetingId }, actor, deps, turn) {
    if (!deps.calendar || !deps.organizer) return noticeCard('Not available', ['Meetings are not configured.']);
    // Cancels the event in Outlook, then records it and says so in the thread.
    turn.mayCommit();
    const result = await cancelMeeting(
      { ctx: deps.ctx, gateway: deps.gateway, logger: deps.logger, calendar: deps.calendar, organizer: deps.organizer },
      meetingId,
      actor,
    );
    // Changed: the case's refresh is queued with it (every card about the meeting follows); wake the sender.
    if (result.changed) turn.committed({ queued: true });
    return noticeCard('Cancel', [result.text], result.changed ? 'good' : 'attention');
  },
});
