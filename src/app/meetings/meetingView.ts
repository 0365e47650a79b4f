import { listCaseEvents } from '../../adapters/store/caseEventRepository.ts';
import { meetingChangesOfCase, meetingsOfCase } from '../../adapters/store/meetingRepository.ts';
import { knownNames } from '../../adapters/store/peopleRepository.ts';
import type { AppContext } from '../appContext.ts';
import type { AdaptiveCard } from '../cards/cardTemplates.ts';
import { parseMeetingCardKey } from './meetingCardKey.ts';
import { bookedMeetingCard, declinedMeetingCard, meetingStory, pollMeetingCard } from './meetingCards.ts';

/** A case's meetings as their cards show them, read once: draws any of their cards by its key. */
export interface MeetingView {
  /** The card a remembered meeting message (its case_messages recipient) shows now; undefined if its meeting is gone. */
  draw(recipient: string, notice?: string): AdaptiveCard | undefined;
}

/**
 * Reads what a case's meeting cards show (its meetings, its events, who changed its meetings, and
 * people's names) in four statements, so the card first posted and every redraw come from the same
 * record: a card whose record has not changed draws the same, and is not updated again.
 */
export async function loadMeetingView(ctx: AppContext, caseId: string): Promise<MeetingView> {
  const [meetings, events, changes, names] = await Promise.all([
    meetingsOfCase(ctx.db, caseId),
    listCaseEvents(ctx.db, caseId),
    meetingChangesOfCase(ctx.db, caseId),
    knownNames(ctx.db),
  ]);
  const stories = new Map(meetings.map((m) => [m.id, meetingStory(ctx.profile, m, events, changes, names)]));
  return {
    draw(recipient, notice = '') {
      const ref = parseMeetingCardKey(recipient);
      const story = ref && stories.get(ref.meetingId);
      if (!ref || !story) return undefined;
      if (ref.card === 'booked') return bookedMeetingCard(story);
      if (ref.card === 'poll') return pollMeetingCard(story, notice);
      return declinedMeetingCard(
        story,
        ref,
        ref.declined.map((id) => names.get(id) ?? 'a required attendee'),
      );
    },
  };
}
