import { addDays, isWeekend } from 'date-fns';

import type { BankHoliday } from './bankHoliday.ts';
import { formatIsoDate, type IsoDate, parseIsoDate } from './isoDate.ts';
import { ONE_OFF_CHANGES, ONE_OFF_TABLE_COVERS } from './oneOffChanges.ts';
import { standingRuleHolidays } from './standingRules.ts';

export interface WorkingDayCalendar {
  /** A day that is not a Saturday, a Sunday or an England-and-Wales bank holiday (seed 001 §11). */
  isWorkingDay(date: IsoDate): boolean;
  /**
   * The date n working days after `date` (before it, for negative n). The start day is never
   * counted, whether or not it is a working day: 2 working days after Saturday is Tuesday.
   * n = 0 returns `date` itself.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
  /**
   * Working days in (from, to] (negative, with from after to): the inverse of addWorkingDays, so
   * addWorkingDays(from, workingDaysBetween(from, to)) === to whenever `to` is a working day.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number;
  /** England-and-Wales bank holidays of the year, sorted by date. */
  bankHolidays(year: number): BankHoliday[];
}

export interface CalendarOptions {
  /** Events from an operator's gov.uk-shaped file; for each year present they replace the computed list. */
  readonly publishedHolidays?: readonly BankHoliday[];
  /** Told once per year when the calendar falls back on rules it cannot vouch for. */
  readonly onWarning?: (message: string) => void;
}

/** Longest run of non-working days we accept before calling the input unreasonable (guards loops). */
const MAX_WORKING_DAYS = 100_000;

/** How many answers of addWorkingDays a calendar remembers (then it starts again): far more than the spans in use. */
const MAX_REMEMBERED = 10_000;

export function createWorkingDayCalendar(options: CalendarOptions = {}): WorkingDayCalendar {
  const published = new Map<number, BankHoliday[]>();
  for (const event of options.publishedHolidays ?? []) {
    const year = Number(event.date.slice(0, 4));
    published.set(year, [...(published.get(year) ?? []), event]);
  }
  const byYear = new Map<number, { list: BankHoliday[]; dates: Set<IsoDate> }>();
  const warned = new Set<number>();
  // Every clock of every case view counts the same few spans from the same few dates (a card is drawn
  // after each vote): each span, stepped a day at a time, is counted once and remembered. The
  // calendar's holidays are fixed when it is made, so a remembered answer stays right.
  const added = new Map<string, IsoDate>();

  function computedYear(year: number): BankHoliday[] {
    const moved = new Map(ONE_OFF_CHANGES.flatMap((c) => (c.kind === 'moved' && c.year === year ? [[c.rule, c] as const] : [])));
    const list: BankHoliday[] = standingRuleHolidays(year).map((h) => {
      const move = moved.get(h.rule);
      return move ? { date: move.to, title: move.title } : { date: h.date, title: h.title, ...(h.notes ? { notes: h.notes } : {}) };
    });
    for (const c of ONE_OFF_CHANGES) {
      if (c.kind === 'added' && c.date.startsWith(`${year}-`)) list.push({ date: c.date, title: c.title });
    }
    return list;
  }

  function yearOf(year: number) {
    let entry = byYear.get(year);
    if (!entry) {
      const fromFile = published.get(year);
      if (fromFile) {
        const computed = computedYear(year).map((h) => h.date);
        const listed = new Set(fromFile.map((h) => h.date));
        const missing = computed.filter((d) => !listed.has(d));
        if (missing.length > 0 && !warned.has(year)) {
          warned.add(year);
          options.onWarning?.(
            `bank holiday file for ${year} omits ${missing.join(', ')} that the standing rules give; using the file as published`,
          );
        }
      } else if ((year < ONE_OFF_TABLE_COVERS.from || year > ONE_OFF_TABLE_COVERS.to) && !warned.has(year)) {
        warned.add(year);
        options.onWarning?.(
          `bank holidays for ${year} follow the standing rules only: one-off changes are known for ${ONE_OFF_TABLE_COVERS.from}-${ONE_OFF_TABLE_COVERS.to}; add gov.uk's bank-holidays.json as an override if ${year} has an announced change`,
        );
      }
      const list = [...(fromFile ?? computedYear(year))].sort((a, b) => a.date.localeCompare(b.date));
      entry = { list, dates: new Set(list.map((h) => h.date)) };
      byYear.set(year, entry);
    }
    return entry;
  }

  function isWorking(date: Date): boolean {
    return !isWeekend(date) && !yearOf(date.getFullYear()).dates.has(formatIsoDate(date));
  }

  function checkCount(n: number) {
    if (!Number.isInteger(n) || Math.abs(n) > MAX_WORKING_DAYS) {
      throw new RangeError(`working days: ${n} is not a whole number of days within ±${MAX_WORKING_DAYS}`);
    }
  }

  return {
    isWorkingDay: (date) => isWorking(parseIsoDate(date)),
    addWorkingDays(date, n) {
      checkCount(n);
      const key = `${date}|${n}`;
      const known = added.get(key);
      if (known !== undefined) return known;
      let day = parseIsoDate(date);
      const step = Math.sign(n);
      for (let left = Math.abs(n); left > 0;) {
        day = addDays(day, step);
        if (isWorking(day)) left -= 1;
      }
      const result = formatIsoDate(day);
      if (added.size >= MAX_REMEMBERED) added.clear();
      added.set(key, result);
      return result;
    },
    workingDaysBetween(from, to) {
      const start = parseIsoDate(from, 'from');
      const end = parseIsoDate(to, 'to');
      const step = end >= start ? 1 : -1;
      let count = 0;
      for (let day = start; formatIsoDate(day) !== to;) {
        day = addDays(day, step);
        if (isWorking(day)) count += step;
      }
      return count;
    },
    bankHolidays: (year) => {
      if (!Number.isInteger(year)) throw new RangeError(`year: ${year} is not a whole year`);
      return yearOf(year).list.map((h) => ({ ...h }));
    },
  };
}
