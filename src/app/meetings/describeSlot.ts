import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

import type { Interval } from '../../domain/meetings/findSlots.ts';
import { fullDate } from '../../domain/time/formatLondon.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';

const londonTime = (d: Date) => format(new TZDate(d.getTime(), 'Europe/London'), 'HH:mm');

/** "Thu 19 Nov 2026, 10:30-11:30 (London)" */
export function describeSlot(slot: Interval): string {
  return `${fullDate(londonDateOf(slot.start))}, ${londonTime(slot.start)}-${londonTime(slot.end)} (London)`;
}
