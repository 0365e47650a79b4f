import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

import { type IsoDate, parseIsoDate } from '../calendar/isoDate.ts';
import { LONDON } from './londonTime.ts';

/** "Mon 23 Nov" (the year is left out: cards talk about the next few weeks). */
export function dayMonth(date: IsoDate): string {
  return format(parseIsoDate(date), 'EEE d MMM');
}

/** "Tue 17 Nov 2026" */
export function fullDate(date: IsoDate): string {
  return format(parseIsoDate(date), 'EEE d MMM yyyy');
}

/** "Thu 19 Nov 2026, 10:00" in London time, whatever the server's zone. */
export function londonDateTime(instant: Date): string {
  return format(new TZDate(instant.getTime(), LONDON), 'EEE d MMM yyyy, HH:mm');
}
