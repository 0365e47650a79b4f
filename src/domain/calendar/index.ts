/**
 * The England-and-Wales working-day calendar. Dates are `YYYY-MM-DD` strings.
 *
 * The four functions use the built-in rules and one-off table. A service that loads an operator's
 * bank-holiday file builds its own calendar with `createWorkingDayCalendar` and passes it on.
 */
import { createWorkingDayCalendar } from './workingDayCalendar.ts';

export { createWorkingDayCalendar, type WorkingDayCalendar, type CalendarOptions } from './workingDayCalendar.ts';
export { type IsoDate, InvalidDateError, parseIsoDate, formatIsoDate, isIsoDate } from './isoDate.ts';
export { type BankHoliday } from './bankHoliday.ts';
export { readBankHolidayFile, BankHolidayFileError, type BankHolidayFile } from './bankHolidayFile.ts';
export { ONE_OFF_CHANGES, ONE_OFF_TABLE_COVERS } from './oneOffChanges.ts';

const builtIn = createWorkingDayCalendar();

export const isWorkingDay = builtIn.isWorkingDay;
export const addWorkingDays = builtIn.addWorkingDays;
export const workingDaysBetween = builtIn.workingDaysBetween;
export const bankHolidays = builtIn.bankHolidays;
