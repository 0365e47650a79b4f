import type { IsoDate } from '../calendar/isoDate.ts';
import type { WorkingDayCalendar } from '../calendar/workingDayCalendar.ts';
import type { CaseEvent } from '../case/caseEvent.ts';
import type { ClockView } from '../clocks/computeClocks.ts';
import { shiftDate } from '../clocks/shiftDate.ts';
import type { Duration, MeetingAfter, Profile } from '../profiles/profileSchema.ts';
import { dayMonth } from '../time/formatLondon.ts';
import { londonDateOf } from '../time/londonTime.ts';

/** What a meeting's window is worked out from: the case's events and clocks now, and its other meetings. */
export interface MeetingWindowFacts {
  readonly profile: Profile;
  readonly calendar: WorkingDayCalendar;
  readonly today: IsoDate;
  readonly receivedOn: IsoDate;
  readonly events: readonly CaseEvent[];
  readonly clocks: readonly ClockView[];
  /** The London date each other meeting of the case is booked for, by kind (none known: {}). */
  readonly booked: Readonly<Record<string, IsoDate>>;
}

/**
 * The days a profile meeting may be on, first to last, and the deadline it serves. `earliest` is
 * absent when nothing has to come first; `latest` is never after `deadline`.
 */
export interface MeetingWindow {
  readonly earliest?: IsoDate;
  /** Why the window opens then, for the thread ("the information returns are due by the end of Mon 7 Jun"). */
  readonly opensBecause?: string;
  readonly latest: IsoDate;
  readonly deadline: IsoDate;
  /** The deadline's clock in a few words ("RR report to Panel"). */
  readonly deadlineShort: string;
}

const NEXT_WORKING_DAY: Duration = { workingDays: 1 };

const negate = (d: Duration): Duration =>
  'workingDays' in d ? { workingDays: -d.workingDays } : 'calendarDays' in d ? { calendarDays: -d.calendarDays } : { months: -d.months };

const maxDate = (dates: readonly (IsoDate | undefined)[]): IsoDate | undefined =>
  dates
    .filter((d): d is IsoDate => d !== undefined)
    .sort()
    .at(-1);

/** The date one lower bound counts from, and the words for it; undefined when it does not bound the meeting (yet). */
function boundFrom(bound: MeetingAfter, facts: MeetingWindowFacts): { date: IsoDate; because: string } | undefined {
  if ('clock' in bound) {
    const views = facts.clocks.filter((c) => c.clockId === bound.clock && c.dueDate);
    const date = maxDate(views.map((c) => c.dueDate));
    return date ? { date, because: `the ${views[0]!.short} is due by the end of ${dayMonth(date)}` } : undefined;
  }
  if ('informationReturns' in bound) {
    // The returns requested; until any is, the date a request sent today would give, so the meeting
    // is not booked before the information could be in (seed 000 L66: chronologies are requested first).
    const requested = maxDate(facts.events.filter((e) => e.type === 'info_request_sent').map((e) => e.data?.dueOn as IsoDate | undefined));
    const rule = facts.profile.informationRequest;
    const date = requested ?? shiftDate(rule.from === 'referral' ? facts.receivedOn : facts.today, rule.returnWithin, facts.calendar);
    return { date, because: `the information returns are due by the end of ${dayMonth(date)}` };
  }
  const other = facts.profile.meetings.find((m) => m.kind === bound.meeting);
  const held = other?.heldBy ? facts.events.filter((e) => e.type === other.heldBy).at(-1) : undefined;
  const date = held ? londonDateOf(held.at) : facts.booked[bound.meeting];
  return date ? { date, because: `the ${other?.title ?? bound.meeting} is on ${dayMonth(date)}` } : undefined;
}

/**
 * The window a profile meeting is booked in (seed 001 Appendix 1: the rapid review "between 7 and 13
 * working days"; 004 s.6.2: 7-10, and never later than 15): it opens at its clock's `notBefore`, at
 * the `within` clock's, and after everything in `after` (the information it needs, the meeting before
 * it); it closes at its clock's deadline less `endsBefore` (time left for what follows: the governance
 * meeting before the report), and at the `within` clock's due date. Undefined while the clock has no
 * due date. An earliest day after the latest is returned as it is: the caller says the window is gone.
 */
export function meetingWindow(kind: string, facts: MeetingWindowFacts): MeetingWindow | undefined {
  const definition = facts.profile.meetings.find((m) => m.kind === kind);
  if (!definition) return undefined;
  const clock = facts.clocks.find((c) => c.clockId === definition.clock && c.dueDate);
  if (!clock?.dueDate) return undefined;
  const deadline = clock.dueDate;
  const within = definition.within ? facts.clocks.find((c) => c.clockId === definition.within && c.dueDate) : undefined;
  const ends = definition.endsBefore ? shiftDate(deadline, negate(definition.endsBefore), facts.calendar) : deadline;
  const latest = within?.dueDate && within.dueDate < ends ? within.dueDate : ends;

  const opens: { date: IsoDate; because: string }[] = [];
  for (const view of [clock, within]) {
    if (view?.earliestDate) opens.push({ date: view.earliestDate, because: `the ${view.short} clock's window` });
  }
  for (const bound of definition.after) {
    const from = boundFrom(bound, facts);
    if (from) opens.push({ date: shiftDate(from.date, bound.gap ?? NEXT_WORKING_DAY, facts.calendar), because: from.because });
  }
  const first = [...opens].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))[0];
  return {
    ...(first ? { earliest: first.date, opensBecause: first.because } : {}),
    latest,
    deadline,
    deadlineShort: clock.short,
  };
}

/** Where a date falls against a meeting's window: inside it, before it opens, after it closes, or after the deadline itself. */
export function placeInWindow(date: IsoDate, window: MeetingWindow): 'inside' | 'early' | 'late' | 'after_deadline' {
  if (date > window.deadline) return 'after_deadline';
  if (date > window.latest) return 'late';
  if (window.earliest && date < window.earliest) return 'early';
  return 'inside';
}
