import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLogger, type Logger } from './adapters/log/logger.ts';
import { loadProfileFile, loadProfiles } from './adapters/profiles/loadProfiles.ts';
import { migrate } from './adapters/store/migrate.ts';
import { openPgliteDatabase } from './adapters/store/pgliteDatabase.ts';
import { openPostgresDatabase } from './adapters/store/postgresDatabase.ts';
import type { Database } from './adapters/store/sqlExecutor.ts';
import type { AppContext } from './app/appContext.ts';
import type { Config } from './config.ts';
import { createWorkingDayCalendar, readBankHolidayFile } from './domain/calendar/index.ts';
import { ProfileError } from './domain/profiles/parseProfile.ts';
import type { Profile } from './domain/profiles/profileSchema.ts';

export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly ctx: AppContext;
  close(): Promise<void>;
}

function chooseProfile(config: Config): Profile {
  const shipped = loadProfiles(); // validates every shipped profile, so a bad release fails at start
  if (config.PROFILE_FILE) return loadProfileFile(config.PROFILE_FILE);
  const profile = shipped.get(config.PROFILE);
  if (!profile) throw new ProfileError('PROFILE', 'PROFILE', `no shipped profile "${config.PROFILE}"; choose one of ${[...shipped.keys()].join(', ')}`);
  return profile;
}

async function openDatabase(config: Config): Promise<Database> {
  return config.DATABASE_URL ? openPostgresDatabase({ connectionString: config.DATABASE_URL }) : openPgliteDatabase(config.DATA_DIR);
}

/** The composition root's wiring: everything the service needs, built from the config. */
export async function composeServices(config: Config, now: () => Date = () => new Date()): Promise<Services> {
  const logger = createLogger(config.LOG_LEVEL);
  const profile = chooseProfile(config);
  const calendar = createWorkingDayCalendar({
    ...(config.BANK_HOLIDAYS_FILE
      ? { publishedHolidays: readBankHolidayFile(JSON.parse(readFileSync(config.BANK_HOLIDAYS_FILE, 'utf8')), config.BANK_HOLIDAYS_FILE) }
      : {}),
    onWarning: (message) => logger.warn({ component: 'calendar' }, message),
  });
  const db = await openDatabase(config);
  const { applied, version } = await migrate(db);
  logger.info({ engine: db.engine, schemaVersion: version, applied, profile: profile.id }, 'store ready');
  return {
    config,
    logger,
    ctx: { db, profile, calendar, now, newId: randomUUID },
    close: () => db.close(),
  };
}
