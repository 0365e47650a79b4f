import type { RecordedCaseEvent } from '../../adapters/store/caseEventRepository.ts';
import type { CaseMeetingRow, MeetingChange } from '../../adapters/store/meetingRepository.ts';
import { type MeetingPoll, pollWinner } from '../../domain/meetings/meetingPoll.ts';
import { meetingStepEnd } from '../../domain/meetings/meetingStepEnd.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
import { londonDateTime } from '../../domain/time/formatLondon.ts';
import { type AdaptiveCard, renderCard } from '../cards/cardTemplates.ts';
import { escapeMarkdown } from '../cards/cardText.ts';
import { describeSlot } from './describeSlot.ts';
import type { MeetingCardRef } from './meetingCardKey.ts';

/** Who did something and when, in words ("Test Business Manager", "Thu 19 Nov 2026, 10:05"). */
interface Done {
  readonly by: string;
  readonly at: string;
}

/** The poll's closing: by whom, when, and whether the business manager closed it before everyone answered. */
interface PollClosed extends Done {
  readonly early: boolean;
}

/**
 * What has happened to a meeting, for its cards: whether its step is done (and by whom, when), and
 * the last time someone moved or cancelled it or closed its poll. Drawn from the case's events, the
 * meeting's row and the audit log; nothing here is kept for the cards alone.
 */
export interface MeetingStory {
  readonly meeting: CaseMeetingRow;
  /** "Done: ..." once the meeting's step is done: the card asks nothing more. */
  readonly done?: string;
  readonly moved?: Done;
  readonly cancelled?: Done;
  readonly pollClosed?: PollClosed;
}

/** The actor of an event or audit entry, in words: a person's name, or what the service did for them. */
function actorName(actor: string, names: ReadonlyMap<string, string>): string {
  if (actor === 'system:decision') return "the DSPs' votes";
  if (actor.startsWith('system:')) return 'the service';
  // A name is what someone set in Teams: shown as text, never as a link or formatting.
  return escapeMarkdown(names.get(actor) ?? 'a partnership colleague');
}

/** What ended the meeting's step, said with who recorded it and when (seed 000: the call is for the decision). */
function doneText(profile: Profile, meeting: CaseMeetingRow, events: readonly RecordedCaseEvent[], names: ReadonlyMap<string, string>) {
  const end = meetingStepEnd(profile, meeting.kind, events);
  if (!end) return undefined;
  const by = actorName(end.event.actor, names);
  const at = londonDateTime(end.event.recordedAt);
  if (end.how === 'closed') return `Done: the case was closed by ${by} on ${at}. Nothing more is needed here.`;
  if (end.how === 'held') return `Done: ${by} recorded on ${at} that the ${meeting.title} took place. Nothing more is needed here.`;
  const clockId = profile.meetings.find((m) => m.kind === meeting.kind)?.clock;
  const clock = profile.clocks.find((c) => c.id === clockId);
  return `Done: ${clock?.short ?? clock?.label ?? 'the step'} recorded by ${by} on ${at}. Nothing more is needed here.`;
}

/** The meeting's story from the case's events and its recorded changes (oldest first). */
export function meetingStory(
  profile: Profile,
  meeting: CaseMeetingRow,
  events: readonly RecordedCaseEvent[],
  changes: readonly MeetingChange[],
  names: ReadonlyMap<string, string>,
): MeetingStory {
  const lastChange = (action: MeetingChange['action']) =>
    // A poll's closing recorded before its audit entry named the meeting kind counts for the case's poll.
    changes.filter((c) => c.action === action && (c.details.kind ?? meeting.kind) === meeting.kind).at(-1);
  const last = (action: MeetingChange['action']): Done | undefined => {
    const change = lastChange(action);
    return change && { by: actorName(change.actor, names), at: londonDateTime(change.at) };
  };
  const done = doneText(profile, meeting, events, names);
  const moved = last('meeting_rebooked');
  const cancelled = meeting.status === 'cancelled' ? last('meeting_cancelled') : undefined;
  const closed = meeting.status !== 'polling' ? last('meeting_poll_closed') : undefined;
  const pollClosed = closed && { ...closed, early: lastChange('meeting_poll_closed')?.details.early === true };
  return {
    meeting,
    ...(done ? { done } : {}),
    ...(moved ? { moved } : {}),
    ...(cancelled ? { cancelled } : {}),
    ...(pollClosed ? { pollClosed } : {}),
  };
}

const slotOf = (m: CaseMeetingRow) =>
  m.starts_at && m.ends_at ? describeSlot({ start: m.starts_at, end: m.ends_at }) : 'a time to be set';

/** The booking's own words: the join link (from Graph, not typed by anyone: a markdown link is safe), or what came instead. */
function invitationText(m: CaseMeetingRow): string {
  const invited = m.invited ?? 0;
  const link = m.join_url
    ? `[Join the Teams meeting](${m.join_url}). Invitations sent to ${invited} people.`
    : (m.calendar_note ??
      `Invitations sent to ${invited} people, but no Teams link came back: check the event in Outlook before the call.`);
  const notChecked = m.unchecked.length ? ` Calendars that could not be checked: ${m.unchecked.join(', ')}.` : '';
  return `${link}${notChecked}`;
}

const optionText = (o: { start: string; end: string }) => describeSlot({ start: new Date(o.start), end: new Date(o.end) });

/** The poll card: each time with how many can do it, and while `open` the buttons to answer and to book now. */
function pollCard(
  input: { meetingId: string; reference: string; title: string; poll: MeetingPoll },
  notice: string,
  open: boolean,
): AdaptiveCard {
  const counts = input.poll.options.map((_, i) => Object.values(input.poll.votes).filter((v) => v.includes(i)).length);
  return renderCard('meetingPoll', {
    meetingId: input.meetingId,
    reference: input.reference,
    title: input.title,
    notice,
    noticeColor: open ? 'Good' : 'Default',
    open,
    unchecked: input.poll.unchecked.join(', '),
    options: input.poll.options.map((o, i) => ({ index: i, text: optionText(o), votesText: `${counts[i]} can` })),
  });
}

const cancelledText = (c: Done) => `Cancelled by ${c.by} on ${c.at}. Attendees were told.`;

/**
 * The booking notice in the case's thread: when, the link, and Rebook and Cancel while the meeting is
 * booked and its step still to do. Moved, it shows the new time and who moved it (it can be moved or
 * cancelled again); cancelled, or its step done, it says so, by whom and when, and has no buttons.
 */
export function bookedMeetingCard(story: MeetingStory): AdaptiveCard {
  const { meeting: m } = story;
  const title = `${m.reference}: ${m.title}`;
  if (m.status === 'cancelled') {
    return renderCard('notice', {
      title: `${title} cancelled`,
      lines: [story.cancelled ? cancelledText(story.cancelled) : 'Cancelled. Attendees were told.'],
      style: 'default',
      actions: [],
    });
  }
  const lines = [invitationText(m), ...(story.moved ? [`Moved to this time by ${story.moved.by} on ${story.moved.at}.`] : [])];
  if (story.done)
    return renderCard('notice', {
      title: `${title} booked for ${slotOf(m)}`,
      lines: [...lines, story.done],
      style: 'default',
      actions: [],
    });
  return renderCard('notice', {
    title: `${title} booked for ${slotOf(m)}`,
    lines,
    style: 'good',
    actions: [
      { title: 'Rebook', verb: 'meeting.rebook', data: { meetingId: m.id } },
      { title: 'Cancel', verb: 'meeting.cancel', data: { meetingId: m.id } },
    ],
  });
}

/**
 * A notice that required attendees declined, with Rebook while the meeting is still at the time they
 * declined and its step still to do. Once anyone moves it, cancels it, or the step is done, it says
 * what happened, by whom and when, and has no button.
 */
export function declinedMeetingCard(
  story: MeetingStory,
  ref: Extract<MeetingCardRef, { card: 'declined' }>,
  names: readonly string[],
): AdaptiveCard {
  const { meeting: m } = story;
  const length = m.starts_at && m.ends_at ? m.ends_at.getTime() - m.starts_at.getTime() : 0;
  const declinedSlot = describeSlot({ start: ref.startsAt, end: new Date(ref.startsAt.getTime() + length) });
  const who = names.map(escapeMarkdown).join(', ');
  const title = `${m.reference}: ${who} declined the ${m.title}`;
  const moved = m.starts_at?.getTime() !== ref.startsAt.getTime();
  const outcome = [
    ...(m.status === 'cancelled' ? [story.cancelled ? cancelledText(story.cancelled) : 'Cancelled. Attendees were told.'] : []),
    ...(m.status !== 'cancelled' && moved
      ? [`Rebooked by ${story.moved?.by ?? 'a partnership colleague'} on ${story.moved?.at ?? 'an earlier day'}: now ${slotOf(m)}.`]
      : []),
    ...(story.done ? [story.done] : []),
  ];
  if (outcome.length > 0)
    return renderCard('notice', { title, lines: [`It was booked for ${declinedSlot}.`, ...outcome], style: 'default', actions: [] });
  return renderCard('notice', {
    title,
    lines: [`It is booked for ${declinedSlot}. Rebooking moves the same invitation to the next time everyone is free before the deadline.`],
    style: 'warning',
    actions: [{ title: 'Rebook', verb: 'meeting.rebook', data: { meetingId: m.id } }],
  });
}

/**
 * The poll among free times: answers and "Book the most popular now" while it is open; once closed
 * (by whom, when, and the time chosen), the meeting cancelled or its step done, the counts stay and
 * the buttons go. `notice` is the answer to the person who just acted (for them only).
 */
export function pollMeetingCard(story: MeetingStory, notice = ''): AdaptiveCard {
  const { meeting: m } = story;
  const poll = m.poll ?? { options: [], votes: {}, unchecked: m.unchecked, required: [] };
  const winner = poll.options[pollWinner(poll)];
  const closed = story.pollClosed;
  /** "Everyone required has answered: booking <time>. Closed by <who> on <when>." or "Closed early by <who> on <when>. Booking <time>." */
  const closedText = (what: string) =>
    closed?.early
      ? `Closed early by ${closed.by} on ${closed.at}. ${what.charAt(0).toUpperCase()}${what.slice(1)}.`
      : `Everyone required has answered: ${what}.${closed ? ` Closed by ${closed.by} on ${closed.at}.` : ''}`;
  const status = [
    ...(m.status === 'booking' && winner ? [closedText(`booking ${optionText(winner)}`)] : []),
    ...(['booked', 'cancelled'].includes(m.status) && m.poll ? [closedText(`booked for ${slotOf(m)}`)] : []),
    ...(m.status === 'cancelled' ? [story.cancelled ? cancelledText(story.cancelled) : 'Cancelled. Attendees were told.'] : []),
    ...(story.done ? [story.done] : []),
  ];
  const open = m.status === 'polling' && !story.done;
  return pollCard({ meetingId: m.id, reference: m.reference, title: m.title, poll }, [notice, ...status].filter(Boolean).join(' '), open);
}
