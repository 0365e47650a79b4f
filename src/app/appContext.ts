import type { Database } from '../adapters/store/sqlExecutor.ts';
import type { WorkingDayCalendar } from '../domain/calendar/workingDayCalendar.ts';
import type { Profile } from '../domain/profiles/profileSchema.ts';

/** What every use case is given: the store, the partnership's profile, the calendar and the time. */
export interface AppContext {
  readonly db: Database;
  readonly profile: Profile;
  readonly calendar: WorkingDayCalendar;
  /** The current instant. Injected so tests move a fake clock instead of sleeping. */
  readonly now: () => Date;
  readonly newId: () => string;
}
