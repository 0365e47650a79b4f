import { addMinutes } from 'date-fns';

import { formatIsoDate, type IsoDate, parseIsoDate } from '../calendar/isoDate.ts';
import type { WorkingDayCalendar } from '../calendar/workingDayCalendar.ts';
import { londonDateOf, londonInstant } from '../time/londonTime.ts';

export interface Interval {
  readonly start: Date;
  readonly end: Date;
}

export interface SlotSearch {
  /** The window: no earlier than `from`, ending no later than `to`. */
  readonly from: Date;
  readonly to: Date;
  readonly durationMinutes: number;
  readonly calendar: WorkingDayCalendar;
  /** London hours meetings may be in, on working days ("09:00" to "17:00"). */
  readonly hours: { readonly start: string; readonly end: string };
  /** Busy time per attendee whose calendar could be read. */
  readonly busy: ReadonlyMap<string, readonly Interval[]>;
  readonly stepMinutes?: number;
}

export interface Slot extends Interval {
  /** Attendees (of those whose calendars were read) who are busy then. */
  readonly busyAttendees: readonly string[];
}

const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

/**
 * Meeting slots inside the window, on working days (England and Wales) and within the partnership's
 * hours in London time, so a DST change or a bank holiday moves them as it moves people's days.
 * Slots start on the half hour. Earliest first, each with who would be busy.
 */
export function candidateSlots(search: SlotSearch): Slot[] {
  const step = search.stepMinutes ?? 30;
  const slots: Slot[] = [];
  let day: IsoDate = londonDateOf(search.from);
  const lastDay = londonDateOf(search.to);
  while (day <= lastDay) {
    if (search.calendar.isWorkingDay(day)) {
      const dayEnd = londonInstant(day, search.hours.end);
      for (
        let start = londonInstant(day, search.hours.start);
        addMinutes(start, search.durationMinutes) <= dayEnd;
        start = addMinutes(start, step)
      ) {
        const slot = { start, end: addMinutes(start, search.durationMinutes) };
        if (slot.start < search.from || slot.end > search.to) continue;
        const busyAttendees = [...search.busy].filter(([, intervals]) => intervals.some((i) => overlaps(i, slot))).map(([who]) => who);
        slots.push({ ...slot, busyAttendees });
      }
    }
    day = formatIsoDate(new Date(parseIsoDate(day).getTime() + 86_400_000));
  }
  return slots;
}

/** The first slots where everyone whose calendar was read is free, or, if none, the nearest options (fewest busy, then earliest). */
export function bestSlots(search: SlotSearch, count = 3): { free: Slot[]; nearest: Slot[] } {
  const all = candidateSlots(search);
  const free = all.filter((s) => s.busyAttendees.length === 0).slice(0, count);
  const nearest =
    free.length > 0
      ? []
      : [...all].sort((a, b) => a.busyAttendees.length - b.busyAttendees.length || a.start.getTime() - b.start.getTime()).slice(0, count);
  return { free, nearest };
}
