import { addDays, isMonday, isWeekend, lastDayOfMonth, nextMonday, previousMonday } from 'date-fns';

import type { BankHoliday } from './bankHoliday.ts';
import { easterSunday } from './easterSunday.ts';
import { formatIsoDate, isoDateOf, parseIsoDate } from './isoDate.ts';

/**
 * The bank holidays of England and Wales that follow from the standing rules (Banking and Financial
 * Dealings Act 1971, schedule 1, and the customary substitute days), before any one-off change by
 * proclamation. Keyed by a stable rule id so that one-off changes can move a rule's day.
 */
export type StandingRule = 'new-year' | 'good-friday' | 'easter-monday' | 'early-may' | 'spring' | 'summer' | 'christmas' | 'boxing-day';

export interface RuleHoliday extends BankHoliday {
  readonly rule: StandingRule;
}

const SUBSTITUTE = 'Substitute day';

function firstMondayOf(year: number, month: number) {
  const first = parseIsoDate(isoDateOf(year, month, 1));
  return isMonday(first) ? first : nextMonday(first);
}

function lastMondayOf(year: number, month: number) {
  const last = lastDayOfMonth(parseIsoDate(isoDateOf(year, month, 1)));
  return isMonday(last) ? last : previousMonday(last);
}

export function standingRuleHolidays(year: number): RuleHoliday[] {
  const easter = parseIsoDate(easterSunday(year));
  const holidays: RuleHoliday[] = [];

  const newYear = parseIsoDate(isoDateOf(year, 1, 1));
  holidays.push(
    isWeekend(newYear)
      ? { rule: 'new-year', title: 'New Year’s Day', date: formatIsoDate(nextMonday(newYear)), notes: SUBSTITUTE }
      : { rule: 'new-year', title: 'New Year’s Day', date: formatIsoDate(newYear) },
  );
  holidays.push({ rule: 'good-friday', title: 'Good Friday', date: formatIsoDate(addDays(easter, -2)) });
  holidays.push({ rule: 'easter-monday', title: 'Easter Monday', date: formatIsoDate(addDays(easter, 1)) });
  holidays.push({ rule: 'early-may', title: 'Early May bank holiday', date: formatIsoDate(firstMondayOf(year, 5)) });
  holidays.push({ rule: 'spring', title: 'Spring bank holiday', date: formatIsoDate(lastMondayOf(year, 5)) });
  holidays.push({ rule: 'summer', title: 'Summer bank holiday', date: formatIsoDate(lastMondayOf(year, 8)) });

  // Christmas and Boxing Day: a day that falls at a weekend moves to the next weekday not already
  // taken, so Christmas on a Saturday gives Mon 27 + Tue 28, and on a Sunday gives Mon 26 (Boxing
  // Day) + Tue 27 (Christmas substitute), which is how gov.uk lists them.
  const christmas = parseIsoDate(isoDateOf(year, 12, 25));
  const boxing = parseIsoDate(isoDateOf(year, 12, 26));
  if (!isWeekend(christmas) && !isWeekend(boxing)) {
    holidays.push({ rule: 'christmas', title: 'Christmas Day', date: formatIsoDate(christmas) });
    holidays.push({ rule: 'boxing-day', title: 'Boxing Day', date: formatIsoDate(boxing) });
  } else if (!isWeekend(christmas)) {
    // Christmas on a Friday: Boxing Day (Saturday) moves to Monday 28.
    holidays.push({ rule: 'christmas', title: 'Christmas Day', date: formatIsoDate(christmas) });
    holidays.push({ rule: 'boxing-day', title: 'Boxing Day', date: formatIsoDate(addDays(christmas, 3)), notes: SUBSTITUTE });
  } else if (christmas.getDay() === 6) {
    holidays.push({ rule: 'christmas', title: 'Christmas Day', date: formatIsoDate(addDays(christmas, 2)), notes: SUBSTITUTE });
    holidays.push({ rule: 'boxing-day', title: 'Boxing Day', date: formatIsoDate(addDays(christmas, 3)), notes: SUBSTITUTE });
  } else {
    holidays.push({ rule: 'boxing-day', title: 'Boxing Day', date: formatIsoDate(boxing) });
    holidays.push({ rule: 'christmas', title: 'Christmas Day', date: formatIsoDate(addDays(christmas, 2)), notes: SUBSTITUTE });
  }
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}
