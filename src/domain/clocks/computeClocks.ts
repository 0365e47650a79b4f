import { type IsoDate, parseIsoDate } from '../calendar/isoDate.ts';
import type { WorkingDayCalendar } from '../calendar/workingDayCalendar.ts';
import type { CaseEvent } from '../case/caseEvent.ts';
import type { ClockDefinition, Profile } from '../profiles/profileSchema.ts';
import { endOfLondonDay, londonDateOf, startOfLondonDay } from '../time/londonTime.ts';
import type { ClockState } from './clockState.ts';
import { conditionHolds } from './conditionHolds.ts';
import { shiftDate } from './shiftDate.ts';

export interface EscalationPoint {
  readonly at: Date;
  readonly notify: readonly string[];
  readonly reached: boolean;
  /**
   * Counted from the original due date and reached before the item was revised (an extension): it was
   * raised then, against the earlier deadline, so it is not raised again against the new one.
   */
  readonly beforeRevision?: boolean;
}

export interface ClockView {
  readonly clockId: string;
  /** The action-plan item (or other per-item key) for per-item clocks. */
  readonly item?: string;
  readonly label: string;
  /** A few words for cards and alerts. */
  readonly short: string;
  readonly stage: string;
  readonly owner: string;
  readonly statutory: boolean;
  readonly state: ClockState;
  /** The date counted from (not itself counted). */
  readonly startedOn?: IsoDate;
  /** The last day on which the step is on time. */
  readonly dueDate?: IsoDate;
  /** The first instant the step is late: the end of the due day, London time. */
  readonly dueAt?: Date;
  readonly dueSoonAt?: Date;
  /** For windows ("between 7 and 13 working days"): the first allowed day. */
  readonly earliestDate?: IsoDate;
  readonly completedAt?: Date;
  readonly escalations: readonly EscalationPoint[];
  /** Where the seed gives two starting points (`orStarts`): the words of the one the deadline follows. */
  readonly reads?: string;
  /** ...and the other one, with the later (or not yet started) due date it gives, shown beside the deadline. */
  readonly otherReading?: { readonly reads: string; readonly dueDate?: IsoDate };
}

type Starts = ClockDefinition['starts'];

/** One starting point's reading of a deadline: the date counted from and the due date it gives. */
interface Reading {
  readonly reads: string;
  readonly startedOn?: IsoDate;
  readonly dueDate?: IsoDate;
}

function byTime(events: readonly CaseEvent[]): CaseEvent[] {
  return [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The date a start counts from. An event recorded before its date field was carried (a referral
 * stored before its facts were) starts nothing, rather than failing every clock of the case.
 */
function anchorDate(starts: Starts, event: CaseEvent): IsoDate | undefined {
  if (!starts.dateField) return londonDateOf(event.at);
  const value = event.data?.[starts.dateField];
  if (value === undefined) return undefined;
  parseIsoDate(value as string, `${event.type}.${starts.dateField}`);
  return value as string;
}

function startEvent(starts: Starts, ordered: readonly CaseEvent[]): CaseEvent | undefined {
  const all = ordered.filter((e) => e.type === starts.event);
  return starts.use === 'latest' ? all.at(-1) : all[0];
}

function readingOf(clock: ClockDefinition, starts: Starts, event: CaseEvent | undefined, calendar: WorkingDayCalendar): Reading {
  const startedOn = event ? anchorDate(starts, event) : undefined;
  return { reads: starts.reads ?? '', ...(startedOn ? { startedOn, dueDate: shiftDate(startedOn, clock.length, calendar) } : {}) };
}

/** The reading the deadline follows: the earlier due date of those started (the stricter, 003), and the other. */
function deadlineOf(main: Reading, other: Reading | undefined): { chosen: Reading; other?: Reading } {
  if (!other?.dueDate) return { chosen: main, ...(other ? { other } : {}) };
  if (!main.dueDate || other.dueDate < main.dueDate) return { chosen: other, other: main };
  return { chosen: main, other };
}

function completedOnTime(clock: ClockDefinition, completion: CaseEvent, dueDate: IsoDate, dueAt: Date): boolean {
  const field = clock.completedBy.dateField;
  if (!field) return completion.at < dueAt;
  const value = completion.data?.[field];
  // Recorded before the step carried its date (an action completed before completedOn existed): when it was recorded.
  if (value === undefined) return completion.at < dueAt;
  parseIsoDate(value as string, `${completion.type}.${field}`);
  return (value as string) <= dueDate;
}

function stops(clock: ClockDefinition, event: CaseEvent): boolean {
  if (event.type !== clock.completedBy.event) return false;
  const where = clock.completedBy.where;
  return !where || where.in.includes(event.data?.[where.field] as string | boolean);
}

function viewOne(
  clock: ClockDefinition,
  start: CaseEvent | undefined,
  alternative: CaseEvent | undefined,
  completion: CaseEvent | undefined,
  applies: boolean | undefined,
  now: Date,
  calendar: WorkingDayCalendar,
  item?: string,
  /** The first start of this clock (or item), before any revision: what `original_due` escalations count from. */
  original?: CaseEvent,
): ClockView {
  const base = {
    clockId: clock.id,
    ...(item !== undefined ? { item } : {}),
    label: clock.label,
    short: clock.short ?? clock.label,
    stage: clock.stage,
    owner: clock.owner,
    statutory: clock.statutory,
  };
  if (applies === false) return { ...base, state: 'not_applicable', escalations: [] };
  const { chosen, other } = deadlineOf(
    readingOf(clock, clock.starts, start, calendar),
    clock.orStarts ? readingOf(clock, clock.orStarts, alternative, calendar) : undefined,
  );
  if (!chosen.startedOn || !chosen.dueDate || applies === undefined) return { ...base, state: 'not_started', escalations: [] };

  const { startedOn, dueDate } = chosen;
  const dueAt = endOfLondonDay(dueDate);
  const dueSoonAt = startOfLondonDay(
    clock.dueSoon.workingDaysBefore === 0 ? dueDate : calendar.addWorkingDays(dueDate, -clock.dueSoon.workingDaysBefore),
  );
  const earliestDate = clock.notBefore ? shiftDate(startedOn, clock.notBefore, calendar) : undefined;

  let state: ClockState;
  if (completion) state = completedOnTime(clock, completion, dueDate, dueAt) ? 'met' : 'met_late';
  else if (now >= dueAt) state = 'overdue';
  else if (now >= dueSoonAt) state = 'due_soon';
  else state = 'pending';

  const revised = start !== undefined && original !== undefined && original !== start;
  const originalOn = revised ? anchorDate(clock.starts, original) : undefined;
  const originalDue = originalOn ? shiftDate(originalOn, clock.length, calendar) : dueDate;
  const escalations = clock.escalation.map((step) => {
    const fromOriginal = step.from === 'original_due';
    const at = endOfLondonDay(shiftDate(fromOriginal ? originalDue : dueDate, step.after, calendar));
    const beforeRevision = fromOriginal && revised && at <= start.at;
    return { at, notify: step.notify, reached: !completion && now >= at, ...(beforeRevision ? { beforeRevision } : {}) };
  });
  return {
    ...base,
    state,
    startedOn,
    dueDate,
    dueAt,
    dueSoonAt,
    ...(earliestDate ? { earliestDate } : {}),
    ...(completion ? { completedAt: completion.at } : {}),
    escalations,
    ...(other ? { reads: chosen.reads, otherReading: { reads: other.reads, ...(other.dueDate ? { dueDate: other.dueDate } : {}) } } : {}),
  };
}

/**
 * Every clock of the profile for one case, at `now`. Pure: the same profile, events, instant and
 * calendar always give the same answer. "Within N working days of X" is due by the end of the Nth
 * working day after X's London date (X itself not counted).
 */
export function computeClocks(profile: Profile, events: readonly CaseEvent[], now: Date, calendar: WorkingDayCalendar): ClockView[] {
  const ordered = byTime(events);
  return profile.clocks.flatMap((clock) => {
    const withdrawn = clock.notApplicableWhen !== undefined && conditionHolds(profile, clock.notApplicableWhen, ordered) === true;
    const applies = withdrawn ? false : conditionHolds(profile, clock.appliesWhen, ordered);
    const starts = ordered.filter((e) => e.type === clock.starts.event);
    const completions = ordered.filter((e) => stops(clock, e));
    if (clock.perItem) {
      const key = clock.perItem;
      const items = new Map<string, CaseEvent>();
      const firsts = new Map<string, CaseEvent>();
      for (const e of starts) {
        const item = String(e.data?.[key]);
        if (!firsts.has(item)) firsts.set(item, e);
        items.set(item, e); // a later action_set revises the item (an extension)
      }
      return [...items].map(([item, start]) =>
        viewOne(
          clock,
          start,
          undefined,
          completions.find((c) => String(c.data?.[key]) === item),
          applies,
          now,
          calendar,
          item,
          firsts.get(item),
        ),
      );
    }
    const start = startEvent(clock.starts, ordered);
    const alternative = clock.orStarts ? startEvent(clock.orStarts, ordered) : undefined;
    const completion = start || alternative ? completions[0] : undefined;
    return [viewOne(clock, start, alternative, completion, applies, now, calendar, undefined, starts[0])];
  });
}
