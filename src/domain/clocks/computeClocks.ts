import { type IsoDate, parseIsoDate } from '../calendar/isoDate.ts';
import type { WorkingDayCalendar } from '../calendar/workingDayCalendar.ts';
import type { CaseEvent } from '../case/caseEvent.ts';
import type { ClockDefinition, Condition, Profile } from '../profiles/profileSchema.ts';
import { endOfLondonDay, londonDateOf, startOfLondonDay } from '../time/londonTime.ts';
import type { ClockState } from './clockState.ts';
import { shiftDate } from './shiftDate.ts';

export interface EscalationPoint {
  readonly at: Date;
  readonly notify: readonly string[];
  readonly reached: boolean;
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
}

function byTime(events: readonly CaseEvent[]): CaseEvent[] {
  return [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
}

function latest(events: readonly CaseEvent[], type: string): CaseEvent | undefined {
  return events.filter((e) => e.type === type).at(-1);
}

/** undefined while the condition's event has not happened; then whether it holds. */
function conditionHolds(condition: Condition | undefined, events: readonly CaseEvent[]): boolean | undefined {
  if (!condition) return true;
  const event = latest(events, condition.event);
  if (!event) return undefined;
  return condition.in.includes(event.data?.[condition.field] as string | boolean);
}

function anchorDate(clock: ClockDefinition, event: CaseEvent): IsoDate {
  if (!clock.starts.dateField) return londonDateOf(event.at);
  const value = event.data?.[clock.starts.dateField];
  parseIsoDate(value as string, `${event.type}.${clock.starts.dateField}`);
  return value as string;
}

function completedOnTime(clock: ClockDefinition, completion: CaseEvent, dueDate: IsoDate, dueAt: Date): boolean {
  const field = clock.completedBy.dateField;
  if (!field) return completion.at < dueAt;
  const value = completion.data?.[field];
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
  completion: CaseEvent | undefined,
  applies: boolean | undefined,
  now: Date,
  calendar: WorkingDayCalendar,
  item?: string,
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
  if (!start || applies === undefined) return { ...base, state: 'not_started', escalations: [] };

  const startedOn = anchorDate(clock, start);
  const dueDate = shiftDate(startedOn, clock.length, calendar);
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

  const escalations = clock.escalation.map((step) => {
    const at = endOfLondonDay(shiftDate(dueDate, step.after, calendar));
    return { at, notify: step.notify, reached: !completion && now >= at };
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
    const applies = conditionHolds(clock.appliesWhen, ordered);
    const starts = ordered.filter((e) => e.type === clock.starts.event);
    const completions = ordered.filter((e) => stops(clock, e));
    if (clock.perItem) {
      const key = clock.perItem;
      const items = new Map<string, CaseEvent>();
      for (const e of starts) items.set(String(e.data?.[key]), e); // a later action_set revises the item
      return [...items].map(([item, start]) =>
        viewOne(
          clock,
          start,
          completions.find((c) => String(c.data?.[key]) === item),
          applies,
          now,
          calendar,
          item,
        ),
      );
    }
    const start = clock.starts.use === 'latest' ? starts.at(-1) : starts[0];
    const completion = start ? completions[0] : undefined;
    return [viewOne(clock, start, completion, applies, now, calendar)];
  });
}
