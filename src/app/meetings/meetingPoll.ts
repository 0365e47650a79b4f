import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findMeetingPoll, markMeetingBooking, type MeetingPollRow, saveMeetingPoll } from '../../adapters/store/meetingRepository.ts';
import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import { holdersOfRoles, rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { type MeetingPoll, pollWinner } from '../../domain/meetings/meetingPoll.ts';
import type { AppContext } from '../appContext.ts';
import type { AdaptiveCard } from '../cards/cardTemplates.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';
import type { Actor } from '../teams/actor.ts';
import { queueCaseChange } from '../teams/caseAnnouncements.ts';
import { describeSlot } from './describeSlot.ts';
import { meetingCardKey } from './meetingCardKey.ts';
import { loadMeetingView } from './meetingView.ts';

/** What a poll action answers (a card, or why not), and whether it changed anything (its posts are queued). */
export interface PollAnswer {
  readonly answer: AdaptiveCard | string;
  readonly changed: boolean;
}

const optionText = (o: { start: string; end: string }) => describeSlot({ start: new Date(o.start), end: new Date(o.end) });

/** Closes the poll on its most popular time and queues the booking, in the caller's transaction. */
async function closePoll(
  tx: SqlExecutor,
  ctx: AppContext,
  row: MeetingPollRow,
  poll: MeetingPoll,
  actorId: string,
  early: boolean,
): Promise<string> {
  const winner = poll.options[pollWinner(poll)]!;
  await markMeetingBooking(tx, row.id, ctx.now());
  await enqueueMessage(
    tx,
    {
      dedupeKey: dedupeKeys.meetingFromPoll(row.case_id, row.kind),
      caseId: row.case_id,
      kind: 'book_meeting',
      recipient: 'partnership_mailbox',
      payload: { caseId: row.case_id, kind: row.kind, slotStart: winner.start, slotEnd: winner.end },
      availableAt: ctx.now(),
    },
    ctx.now(),
  );
  await appendAudit(tx, {
    at: ctx.now(),
    actor: actorId,
    action: 'meeting_poll_closed',
    caseId: row.case_id,
    details: { reference: row.reference, kind: row.kind, start: winner.start, early },
  });
  return optionText(winner);
}

/** The poll card as it is now, with `notice` for the person who acted. */
async function pollCardNow(ctx: AppContext, row: MeetingPollRow, notice: string): Promise<AdaptiveCard | string> {
  const card = (await loadMeetingView(ctx, row.case_id)).draw(meetingCardKey({ card: 'poll', meetingId: row.id }), notice);
  return card ?? 'This poll is closed: the meeting is being booked or is booked.';
}

/**
 * "I can do this": an invited person marks a time; once every required attendee has answered, the
 * most popular is booked. The answer and the poll's closing are written with the case's coalesced
 * refresh, so everyone's poll card shows the counts, and loses its buttons once it is closed.
 */
export async function voteInPoll(ctx: AppContext, meetingId: string, option: number, actor: Actor): Promise<PollAnswer> {
  const unchanged = (answer: string): PollAnswer => ({ answer, changed: false });
  const row = await findMeetingPoll(ctx.db, meetingId);
  if (!row || row.status !== 'polling') return unchanged('This poll is closed: the meeting is being booked or is booked.');
  const definition = ctx.profile.meetings.find((m) => m.kind === row.kind);
  const invited = (await holdersOfRoles(ctx.db, definition?.attendees ?? [])).map((h) => h.userId);
  if (!invited.includes(actor.aadObjectId)) return unchanged('Only people invited to this meeting can answer its poll.');
  if (!Number.isInteger(option) || option < 0 || option >= row.poll.options.length)
    return unchanged('That time is not one of the options.');
  const mine = row.poll.votes[actor.aadObjectId] ?? [];
  const poll: MeetingPoll = {
    ...row.poll,
    votes: { ...row.poll.votes, [actor.aadObjectId]: mine.includes(option) ? mine : [...mine, option].sort() },
  };
  const everyone = poll.required.every((id) => (poll.votes[id]?.length ?? 0) > 0);
  const booking = await ctx.db.transaction(async (tx) => {
    await saveMeetingPoll(tx, row.id, poll, ctx.now());
    const closed = everyone ? await closePoll(tx, ctx, row, poll, actor.aadObjectId, false) : undefined;
    await queueCaseChange(tx, ctx, row.case_id);
    return closed;
  });
  // Closed, the card itself says so ("Everyone required has answered: booking ...").
  return { answer: await pollCardNow(ctx, row, booking ? '' : 'Your answer is recorded.'), changed: true };
}

/** "Book the most popular now": for the business manager, without waiting for every answer. */
export async function bookPollNow(ctx: AppContext, meetingId: string, actor: Actor): Promise<PollAnswer> {
  if (!(await rolesOf(ctx.db, actor.aadObjectId)).some((r) => r.role === 'business_manager'))
    return { answer: 'Only the business manager can close the poll early.', changed: false };
  const row = await findMeetingPoll(ctx.db, meetingId);
  if (!row || row.status !== 'polling') return { answer: 'This poll is closed: the meeting is being booked or is booked.', changed: false };
  await ctx.db.transaction(async (tx) => {
    await closePoll(tx, ctx, row, row.poll, actor.aadObjectId, true);
    await queueCaseChange(tx, ctx, row.case_id);
  });
  // The card says it was closed early, by whom, and the time being booked.
  return { answer: await pollCardNow(ctx, row, ''), changed: true };
}
