/**
 * The England-and-Wales working-day calendar. Dates are `YYYY-MM-DD` strings.
 *
 * The four functions use the built-in rules and one-off table. A service that loads an operator's
 * bank-holiday file builds its own calendar with `createWorkingDayCalendar` and passes it on.
 */
import { createWorkingDayCalendar } from './workingDayCalendar.ts';

export { type BankHoliday } from './bankHoliday.ts';
export { type BankHolidayFile, BankHolidayFileError, readBankHolidayFile } from './bankHolidayFile.ts';
export { formatIsoDate, InvalidDateError, isIsoDate, type IsoDate, parseIsoDate } from './isoDate.ts';
export { ONE_OFF_CHANGES, ONE_OFF_TABLE_COVERS } from './oneOffChanges.ts';
export { type CalendarOptions, createWorkingDayCalendar, type WorkingDayCalendar } from './workingDayCalendar.ts';

const builtIn = createWorkingDayCalendar();

export const isWorkingDay = builtIn.isWorkingDay;
export const addWorkingDays = builtIn.addWorkingDays;
export const workingDaysBetween = builtIn.workingDaysBetween;
export const bankHolidays = builtIn.bankHolidays;
