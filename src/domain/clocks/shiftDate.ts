import { addDays, addMonths } from 'date-fns';

import { formatIsoDate, type IsoDate, parseIsoDate } from '../calendar/isoDate.ts';
import type { WorkingDayCalendar } from '../calendar/workingDayCalendar.ts';
import type { Duration } from '../profiles/profileSchema.ts';

/** A date moved by a profile duration: working days on the calendar, calendar days, or calendar months (date-fns clamps 31 Jan + 1 month to 28/29 Feb). */
export function shiftDate(date: IsoDate, by: Duration, calendar: WorkingDayCalendar): IsoDate {
  if ('workingDays' in by) return calendar.addWorkingDays(date, by.workingDays);
  if ('calendarDays' in by) return formatIsoDate(addDays(parseIsoDate(date), by.calendarDays));
  return formatIsoDate(addMonths(parseIsoDate(date), by.months));
}
