import { z } from 'zod';

import { noticeCard } from '../../cards/noticeCard.ts';
import { voteInPoll } from '../../meetings/meetingPoll.ts';
import { cardAction, recordId } from './cardAction.ts';

/** "I can do this" on a meeting poll's option. */
export const meetingPollVote = cardAction({
  verb: 'meeting.pollVote',
  // The option's index, as the card sends it (a number or its text); voteInPoll says when it is not one of the options.
  data: z.looseObject({ meetingId: recordId, option: z.union([z.number(), z.string()]).optional() }),
  async handle({ meetingId, option }, actor, { ctx }, turn) {
    // Records the answer, then books the meeting if everyone required has answered, and draws the poll card.
    turn.mayCommit();
    const { answer, changed } = await voteInPoll(ctx, meetingId, Number(option), actor);
    if (changed) turn.committed({ queued: true });
    return typeof answer === 'string' ? noticeCard('Not recorded', [answer]) : answer;
  },
});
