import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findMeetingPoll, markMeetingBooking, type MeetingPollRow, saveMeetingPoll } from '../../adapters/store/meetingRepository.ts';
import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import { holdersOfRoles, rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { MeetingPoll } from '../../domain/meetings/meetingPoll.ts';
import type { AppContext } from '../appContext.ts';
import { type AdaptiveCard, renderCard } from '../cards/cardTemplates.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';
import type { Actor } from '../teams/actor.ts';
import { describeSlot } from './describeSlot.ts';

const optionText = (o: { start: string; end: string }) => describeSlot({ start: new Date(o.start), end: new Date(o.end) });

export function pollCard(input: { meetingId: string; reference: string; title: string; poll: MeetingPoll }, notice = ''): AdaptiveCard {
  const counts = input.poll.options.map((_, i) => Object.values(input.poll.votes).filter((v) => v.includes(i)).length);
  return renderCard('meetingPoll', {
    meetingId: input.meetingId,
    reference: input.reference,
    title: input.title,
    notice,
    unchecked: input.poll.unchecked.join(', '),
    options: input.poll.options.map((o, i) => ({ index: i, text: optionText(o), votesText: `${counts[i]} can` })),
  });
}

/** The option most people can do; ties go to the earliest. */
export function pollWinner(poll: MeetingPoll): number {
  const counts = poll.options.map((_, i) => Object.values(poll.votes).filter((v) => v.includes(i)).length);
  return counts.indexOf(Math.max(...counts));
}

async function book(ctx: AppContext, row: MeetingPollRow, poll: MeetingPoll, actorId: string) {
  const winner = poll.options[pollWinner(poll)]!;
  await ctx.db.transaction(async (tx) => {
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
      details: { reference: row.reference, start: winner.start },
    });
  });
  return optionText(winner);
}

/** "I can do this": an invited person marks a time; once every required attendee has answered, the most popular is booked. */
export async function voteInPoll(ctx: AppContext, meetingId: string, option: number, actor: Actor): Promise<AdaptiveCard | string> {
  const row = await findMeetingPoll(ctx.db, meetingId);
  if (!row || row.status !== 'polling') return 'This poll is closed: the meeting is being booked or is booked.';
  const definition = ctx.profile.meetings.find((m) => m.kind === row.kind);
  const invited = (await holdersOfRoles(ctx.db, definition?.attendees ?? [])).map((h) => h.userId);
  if (!invited.includes(actor.aadObjectId)) return 'Only people invited to this meeting can answer its poll.';
  if (!Number.isInteger(option) || option < 0 || option >= row.poll.options.length) return 'That time is not one of the options.';
  const mine = row.poll.votes[actor.aadObjectId] ?? [];
  const poll: MeetingPoll = {
    ...row.poll,
    votes: { ...row.poll.votes, [actor.aadObjectId]: mine.includes(option) ? mine : [...mine, option].sort() },
  };
  await saveMeetingPoll(ctx.db, row.id, poll, ctx.now());
  const everyone = poll.required.every((id) => (poll.votes[id]?.length ?? 0) > 0);
  const notice = everyone
    ? `Everyone required has answered: booking ${await book(ctx, row, poll, actor.aadObjectId)}.`
    : 'Your answer is recorded.';
  return pollCard({ meetingId: row.id, reference: row.reference, title: row.title, poll }, notice);
}

/** "Book the most popular now": for the business manager, without waiting for every answer. */
export async function bookPollNow(ctx: AppContext, meetingId: string, actor: Actor): Promise<AdaptiveCard | string> {
  if (!(await rolesOf(ctx.db, actor.aadObjectId)).some((r) => r.role === 'business_manager'))
    return 'Only the business manager can close the poll early.';
  const row = await findMeetingPoll(ctx.db, meetingId);
  if (!row || row.status !== 'polling') return 'This poll is closed: the meeting is being booked or is booked.';
  return pollCard(
    { meetingId: row.id, reference: row.reference, title: row.title, poll: row.poll },
    `Booking ${await book(ctx, row, row.poll, actor.aadObjectId)}.`,
  );
}
