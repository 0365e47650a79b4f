import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns';

import type { Interval } from './findSlots.ts';

/** An attendee's working hours as Outlook publishes them (getSchedule's workingHours). */
export interface WorkingHours {
  readonly daysOfWeek: readonly string[];
  /** "08:00:00.0000000" */
  readonly startTime: string;
  readonly endTime: string;
  /** IANA, or the Windows names Outlook uses for the zones a partnership meets in. */
  readonly timeZone: string;
}

const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Etc/GMT',
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Eastern Standard Time': 'America/New_York',
};
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The IANA zone for an Outlook time zone name; undefined for one we cannot place (its hours are then not used). */
export function ianaZone(name: string): string | undefined {
  if (WINDOWS_ZONES[name]) return WINDOWS_ZONES[name];
  return /^[A-Za-z]+\/[A-Za-z_]+/.test(name) || name === 'UTC' ? name : undefined;
}

/**
 * The times in [from, to) outside someone's working hours, as busy intervals: whole days they do not
 * work, and the hours before and after their working day, in their own zone (so their DST applies).
 */
export function outsideWorkingHours(hours: WorkingHours, from: Date, to: Date): Interval[] | undefined {
  const zone = ianaZone(hours.timeZone);
  if (!zone) return undefined;
  const [sh, sm] = hours.startTime.split(':').map(Number);
  const [eh, em] = hours.endTime.split(':').map(Number);
  const busy: Interval[] = [];
  const first = new TZDate(from.getTime(), zone);
  for (
    let day = new TZDate(first.getFullYear(), first.getMonth(), first.getDate(), zone);
    day.getTime() < to.getTime();
    day = new TZDate(addDays(day, 1).getTime(), zone)
  ) {
    const y = day.getFullYear();
    const m = day.getMonth();
    const d = day.getDate();
    const dayStart = new Date(new TZDate(y, m, d, zone).getTime());
    const dayEnd = new Date(new TZDate(y, m, d + 1, zone).getTime());
    if (!hours.daysOfWeek.map((x) => x.toLowerCase()).includes(DAYS[day.getDay()]!)) {
      busy.push({ start: dayStart, end: dayEnd });
      continue;
    }
    busy.push({ start: dayStart, end: new Date(new TZDate(y, m, d, sh!, sm!, zone).getTime()) });
    busy.push({ start: new Date(new TZDate(y, m, d, eh!, em!, zone).getTime()), end: dayEnd });
  }
  return busy;
}
