import { type IsoDate, isoDateOf } from './isoDate.ts';

/**
 * Easter Sunday in the Gregorian calendar (the "anonymous Gregorian" computus, Meeus/Jones/Butcher).
 * date-fns has no Easter function; this is the standard 12-line algorithm, checked in tests against
 * the published Good Friday and Easter Monday dates.
 */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDateOf(year, month, day);
}
