import type { Logger } from '../../adapters/log/logger.ts';
import type { AppContext } from '../appContext.ts';
import type { TeamsGateway } from '../teams/teamsGateway.ts';
import type { CalendarGateway } from './calendarGateway.ts';

/** What booking, moving and watching a case's meetings need (bookMeeting.ts, rebookMeeting.ts share it). */
export interface BookingDeps {
  readonly ctx: AppContext;
  readonly calendar: CalendarGateway;
  readonly gateway: TeamsGateway;
  readonly logger: Logger;
  /** The partnership mailbox: the organizer of every meeting. */
  readonly organizer: string;
}

/** The next half hour from now: meetings are not booked (or moved) into the past or the next few minutes. */
export function nextHalfHour(now: Date): Date {
  const step = 30 * 60_000;
  return new Date(Math.ceil((now.getTime() + 5 * 60_000) / step) * step);
}
