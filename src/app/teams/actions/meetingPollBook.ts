import { z } from 'zod';

import { noticeCard } from '../../cards/noticeCard.ts';
import { bookPollNow } from '../../meetings/meetingPoll.ts';
import { cardAction, recordId } from './cardAction.ts';

/** "Book the most popular now" on a meeting poll (the business manager). */
export const meetingPollBook = cardAction({
  verb: 'meeting.pollBook',
  data: z.looseObject({ meetingId: recordId }),
  async handle({ meetingId }, actor, { ctx }, turn) {
    // Books the meeting (Outlook, then the store), then draws the poll card.
    turn.mayCommit();
    const { answer, changed } = await bookPollNow(ctx, meetingId, actor);
    if (changed) turn.committed({ queued: true });
    return typeof answer === 'string' ? noticeCard('Not available', [answer]) : answer;
  },
});
