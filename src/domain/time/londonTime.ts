import { TZDate } from '@date-fns/tz';
import { addDays, format } from 'date-fns';

import { formatIsoDate, type IsoDate, parseIsoDate } from '../calendar/isoDate.ts';

/** Every statutory clock is kept in England's civil time (domain.md: "All times are Europe/London"). */
export const LONDON = 'Europe/London';

/** The London calendar date on which an instant falls (BST or GMT as the date requires). */
export function londonDateOf(instant: Date): IsoDate {
  return format(new TZDate(instant.getTime(), LONDON), 'yyyy-MM-dd');
}

/** The instant London's day `date` begins. */
export function startOfLondonDay(date: IsoDate): Date {
  const d = parseIsoDate(date);
  return new Date(new TZDate(d.getFullYear(), d.getMonth(), d.getDate(), LONDON).getTime());
}

/**
 * The first instant after London's day `date`: "by the end of day D" means before this instant.
 * Using the next midnight rather than 23:59:59.999 keeps comparisons exact.
 */
export function endOfLondonDay(date: IsoDate): Date {
  return startOfLondonDay(formatIsoDate(addDays(parseIsoDate(date), 1)));
}

/** The instant it is `hhmm` (24-hour "08:30") in London on `date`. */
export function londonInstant(date: IsoDate, hhmm: string): Date {
  const d = parseIsoDate(date);
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(new TZDate(d.getFullYear(), d.getMonth(), d.getDate(), h!, m!, LONDON).getTime());
}
