import type { Profile } from '../profiles/profileSchema.ts';
import { dayMonth } from '../time/formatLondon.ts';
import { londonDateOf } from '../time/londonTime.ts';
import type { ClockView } from './computeClocks.ts';
import { describeClock } from './describeClock.ts';

export interface CardLine {
  readonly title: string;
  readonly value: string;
}

/**
 * The case card's lines for the clocks the profile shows on their own (`onCard`), beside the one clock
 * line: a duty that runs alongside once started (the Secretary of State and Ofsted told of a
 * looked-after child's death: 002, 004 s.5.3), and a clock that only matters when late (Darlington's
 * referral made more than 1 working day after the incident, 004 s.4.5). Dates and the clock's name
 * only: the card is seen in the partnership channel.
 */
export function clockCardLines(profile: Profile, clocks: readonly ClockView[]): CardLine[] {
  const shown = new Map(profile.clocks.filter((c) => c.onCard).map((c) => [c.id, c.onCard!]));
  return clocks.flatMap((clock): CardLine[] => {
    const how = shown.get(clock.clockId);
    if (!how || !clock.dueDate) return [];
    if (how === 'started') return [{ title: 'Also', value: describeClock(clock) }];
    if (clock.state === 'met_late')
      return [
        {
          title: 'Late',
          value: `${clock.short}: due by the end of ${dayMonth(clock.dueDate)}, done ${clock.completedAt ? dayMonth(londonDateOf(clock.completedAt)) : 'late'}`,
        },
      ];
    if (clock.state === 'overdue') return [{ title: 'Late', value: describeClock(clock) }];
    return [];
  });
}
