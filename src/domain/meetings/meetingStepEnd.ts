import type { CaseEvent } from '../case/caseEvent.ts';
import type { Profile } from '../profiles/profileSchema.ts';

/** What ended a meeting's step: its clock's completing event, the event recording the meeting took place, or the case's closing. */
export interface MeetingStepEnd<E extends CaseEvent> {
  readonly how: 'completed' | 'held' | 'closed';
  readonly event: E;
}

/**
 * Whether the step a profile meeting serves is done, and by what: the first of the event that stops
 * the meeting's clock (the DSP call's is the DSPs' decision: seed 000 L42, the call is where they
 * "make a collective decision"), the event that records the meeting itself took place (`heldBy`: the
 * rapid review's outcome, long before its clock stops when the report reaches the Panel), and the
 * case's closing. Undefined while the step is still to do: the meeting's cards may still ask for
 * something (a rebooking, an answer to its poll) only then.
 */
export function meetingStepEnd<E extends CaseEvent>(profile: Profile, kind: string, events: readonly E[]): MeetingStepEnd<E> | undefined {
  const meeting = profile.meetings.find((m) => m.kind === kind);
  const completedBy = profile.clocks.find((c) => c.id === meeting?.clock)?.completedBy;
  for (const event of events) {
    if (event.type === 'case_closed') return { how: 'closed', event };
    if (meeting?.heldBy && event.type === meeting.heldBy) return { how: 'held', event };
    if (completedBy && event.type === completedBy.event) {
      const where = completedBy.where;
      if (!where || where.in.includes(event.data?.[where.field] as string | boolean)) return { how: 'completed', event };
    }
  }
  return undefined;
}
