import { dayMonth } from '../time/formatLondon.ts';
import { RUNNING_STATES } from './clockState.ts';
import type { ClockView } from './computeClocks.ts';

/** The clock a case is waiting on: the running one due first. */
export function nextClock(clocks: readonly ClockView[]): ClockView | undefined {
  return clocks.filter((c) => RUNNING_STATES.includes(c.state) && c.dueAt).sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime())[0];
}

/**
 * Where the seed gives two starting points (003), the other reading beside the deadline: "(15 working
 * days of the referral being received; 15 working days from notification: Mon 17 Jan)".
 */
function otherReadingText(clock: ClockView): string {
  const other = clock.otherReading;
  if (!other) return '';
  return ` (${clock.reads}; ${other.reads}: ${other.dueDate ? dayMonth(other.dueDate) : 'not started yet'})`;
}

/** A clock in words, e.g. "DSP decision due by the end of Mon 23 Nov". */
export function describeClock(clock: ClockView, name = clock.short): string {
  if (!clock.dueDate) return `${name}: not started`;
  const by = `by the end of ${dayMonth(clock.dueDate)}${otherReadingText(clock)}`;
  switch (clock.state) {
    case 'overdue':
      return `OVERDUE: ${name} was due ${by}`;
    case 'due_soon':
      return `${name} due ${by} (due soon)`;
    case 'met':
      return `${name} done on time (due ${by})`;
    case 'met_late':
      return `${name} done late (was due ${by})`;
    default:
      return `${name} due ${by}`;
  }
}
