import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { SHIPPED_PROFILES_DIR } from '../src/adapters/profiles/loadProfiles.ts';
import { composeServices } from '../src/composition.ts';
import { ConfigError, readConfig } from '../src/config.ts';
import { BankHolidayFileError } from '../src/domain/calendar/index.ts';
import { ProfileError } from '../src/domain/profiles/parseProfile.ts';

describe('configuration', () => {
  it('starts on embedded defaults with nothing set', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      PORT: 3978,
      DATA_DIR: './data',
      PROFILE: 'hsscp',
      MicrosoftAppId: '',
      PLAYGROUND: '56150',
      DIGEST_TIME: '08:30',
      WATCH_INTERVAL_SECONDS: 60,
    });
    expect(config.DATABASE_URL).toBeUndefined(); // the embedded store
  });

  it('names the setting that is wrong', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(readConfig({}))).toBe(true);
  });
});

describe('start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'start-'));

  it('refuses a partnership profile with an unknown field, naming the file and the field', async () => {
    const profile = JSON.parse(readFileSync(join(SHIPPED_PROFILES_DIR, 'hsscp.json'), 'utf8'));
    profile.clocks[0].lenght = { workingDays: 2 };
    writeFileSync(join(dir, 'our-partnership.json'), JSON.stringify(profile));
    const start = composeServices(
      readConfig({ PROFILE_FILE: join(dir, 'our-partnership.json'), DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }),
    );
    await expect(start).rejects.toThrow(ProfileError);
    await expect(start).rejects.toThrow('our-partnership.json: clocks[0].lenght: unknown field');
  });

  it('refuses an unknown profile id, listing the shipped ones', async () => {
    await expect(composeServices(readConfig({ PROFILE: 'atlantis', LOG_LEVEL: 'silent' }))).rejects.toThrow(
      /darlington, hsscp, nel, southtees, stockport/,
    );
  });

  it('refuses a malformed bank-holiday file, naming the field', async () => {
    writeFileSync(
      join(dir, 'bank-holidays.json'),
      JSON.stringify({ 'england-and-wales': { division: 'england-and-wales', events: [{ title: 'x', date: '2029-13-01' }] } }),
    );
    const start = composeServices(readConfig({ BANK_HOLIDAYS_FILE: join(dir, 'bank-holidays.json'), LOG_LEVEL: 'silent' }));
    await expect(start).rejects.toThrow(BankHolidayFileError);
    await expect(start).rejects.toThrow('england-and-wales.events.0.date');
  });
});
