import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  BankHolidayFileError,
  bankHolidays,
  createWorkingDayCalendar,
  ONE_OFF_TABLE_COVERS,
  readBankHolidayFile,
} from '../../../src/domain/calendar/index.ts';

// gov.uk's published England-and-Wales list, 2012-2028, from copies of bank-holidays.json.
const published = readBankHolidayFile(
  JSON.parse(readFileSync(new URL('../../fixtures/gov-uk-bank-holidays.json', import.meta.url), 'utf8')),
  'gov-uk-bank-holidays.json',
);
const publishedYears = [...new Set(published.map((e) => Number(e.date.slice(0, 4))))];

describe('bankHolidays (built-in rules and one-off table)', () => {
  it.each(publishedYears)('matches the published list for %i', (year) => {
    const expected = published.filter((e) => e.date.startsWith(`${year}-`)).map((e) => e.date);
    expect(bankHolidays(year).map((h) => h.date)).toEqual(expected);
  });

  it('covers every published year the one-off table claims to know', () => {
    expect(publishedYears[0]).toBe(ONE_OFF_TABLE_COVERS.from);
    expect(publishedYears.at(-1)).toBe(ONE_OFF_TABLE_COVERS.to);
  });

  it.each([
    ['2012-06-05', 'Queen’s Diamond Jubilee'],
    ['2020-05-08', 'Early May bank holiday (VE day)'],
    ['2022-06-03', 'Platinum Jubilee bank holiday'],
    ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
    ['2023-05-08', 'Bank holiday for the coronation of King Charles III'],
  ])('knows the one-off %s as gov.uk titles it', (date, title) => {
    expect(bankHolidays(Number(date.slice(0, 4))).find((h) => h.date === date)?.title).toBe(title);
  });

  it('drops the standing day that a one-off change moved (early May 2020, spring 2012 and 2022)', () => {
    const dates = [2012, 2020, 2022].flatMap((y) => bankHolidays(y).map((h) => h.date));
    expect(dates).not.toContain('2020-05-04');
    expect(dates).not.toContain('2012-05-28');
    expect(dates).not.toContain('2022-05-30');
  });

  it('marks weekend Christmas and New Year as substitute days', () => {
    expect(
      bankHolidays(2021)
        .filter((h) => h.notes === 'Substitute day')
        .map((h) => h.date),
    ).toEqual(['2021-12-27', '2021-12-28']);
    expect(bankHolidays(2022).find((h) => h.date === '2022-01-03')?.notes).toBe('Substitute day');
  });

  it('returns a sorted list, and a copy the caller cannot use to change the calendar', () => {
    const list = bankHolidays(2026);
    expect(list.map((h) => h.date)).toEqual([...list.map((h) => h.date)].sort());
    (list as { date: string }[])[0]!.date = '2026-01-05';
    expect(bankHolidays(2026)[0]!.date).toBe('2026-01-01');
  });
});

describe('years the one-off table does not cover', () => {
  it('warns once per year and falls back on the standing rules', () => {
    const warnings: string[] = [];
    const calendar = createWorkingDayCalendar({ onWarning: (m) => warnings.push(m) });
    expect(calendar.bankHolidays(2031).map((h) => h.date)).toEqual([
      '2031-01-01',
      '2031-04-11',
      '2031-04-14',
      '2031-05-05',
      '2031-05-26',
      '2031-08-25',
      '2031-12-25',
      '2031-12-26',
    ]);
    calendar.isWorkingDay('2031-06-02');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/2031 follow the standing rules only/);
  });

  it('does not warn for a covered year', () => {
    const warnings: string[] = [];
    createWorkingDayCalendar({ onWarning: (m) => warnings.push(m) }).bankHolidays(2026);
    expect(warnings).toEqual([]);
  });
});

describe('an operator override file in the gov.uk shape', () => {
  const announced = {
    'england-and-wales': {
      division: 'england-and-wales',
      events: [
        ...bankHolidays(2029).map((h) => ({ title: h.title, date: h.date, notes: h.notes ?? '', bunting: true })),
        { title: 'Fictional celebration bank holiday', date: '2029-07-13', notes: 'Extra bank holiday', bunting: true },
      ],
    },
  };

  it('adds a newly announced holiday without a release, and silences the warning for that year', () => {
    const warnings: string[] = [];
    const calendar = createWorkingDayCalendar({
      publishedHolidays: readBankHolidayFile(announced, 'override.json'),
      onWarning: (m) => warnings.push(m),
    });
    expect(calendar.isWorkingDay('2029-07-13')).toBe(false);
    expect(calendar.addWorkingDays('2029-07-12', 1)).toBe('2029-07-16');
    expect(warnings).toEqual([]);
  });

  it('warns when the file leaves out a day the standing rules give', () => {
    const warnings: string[] = [];
    const partial = { 'england-and-wales': { division: 'england-and-wales', events: [{ title: 'Extra', date: '2029-07-13' }] } };
    const calendar = createWorkingDayCalendar({
      publishedHolidays: readBankHolidayFile(partial, 'o.json'),
      onWarning: (m) => warnings.push(m),
    });
    calendar.bankHolidays(2029);
    expect(warnings[0]).toMatch(/file for 2029 omits 2029-01-01/);
  });

  it.each([
    [{}, 'england-and-wales'],
    [{ 'england-and-wales': { division: 'scotland', events: [] } }, 'england-and-wales.division'],
    [
      { 'england-and-wales': { division: 'england-and-wales', events: [{ title: 'x', date: '2029-02-30' }] } },
      'england-and-wales.events.0.date',
    ],
  ])('rejects a malformed file naming the field (%#)', (json, field) => {
    expect(() => readBankHolidayFile(json, 'override.json')).toThrow(BankHolidayFileError);
    expect(() => readBankHolidayFile(json, 'override.json')).toThrow(`override.json: ${field}:`);
  });
});
