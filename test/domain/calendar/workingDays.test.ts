import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { addWorkingDays, InvalidDateError, isWorkingDay, workingDaysBetween } from '../../../src/domain/calendar/index.ts';

describe('isWorkingDay', () => {
  it.each([
    ['2026-11-20', true, 'a Friday'],
    ['2026-11-21', false, 'a Saturday'],
    ['2026-11-22', false, 'a Sunday'],
    ['2026-12-28', false, 'the Boxing Day substitute (26th is a Saturday)'],
    ['2026-03-30', true, 'the Monday after the clocks go forward'],
    ['2026-10-26', true, 'the Monday after the clocks go back'],
    ['2022-09-19', false, 'the State Funeral bank holiday'],
  ])('%s is %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it.each(['2026-2-1', '2026-02-30', '26-01-01', '', 'tomorrow'])('rejects the malformed date "%s"', (bad) => {
    expect(() => isWorkingDay(bad)).toThrow(InvalidDateError);
  });
});

describe('addWorkingDays', () => {
  it('counts 2 working days from a Friday to the Tuesday', () => {
    expect(addWorkingDays('2026-11-20', 2)).toBe('2026-11-24');
  });
  it('never counts the start day, even when it is a weekend day', () => {
    expect(addWorkingDays('2026-11-21', 1)).toBe('2026-11-23');
    expect(addWorkingDays('2026-11-22', 2)).toBe('2026-11-24');
  });
  it('skips Christmas, the Boxing Day substitute and New Year', () => {
    expect(addWorkingDays('2026-12-24', 2)).toBe('2026-12-30');
    expect(addWorkingDays('2026-12-24', 5)).toBe('2027-01-05');
  });
  it('skips Good Friday and Easter Monday', () => {
    expect(addWorkingDays('2026-04-02', 1)).toBe('2026-04-07');
  });
  it('counts across both DST changes as plain days', () => {
    expect(addWorkingDays('2026-03-27', 1)).toBe('2026-03-30');
    expect(addWorkingDays('2026-10-23', 1)).toBe('2026-10-26');
    expect(workingDaysBetween('2026-03-20', '2026-04-10')).toBe(13);
  });
  it('goes backwards for a negative count, the start day again not counted', () => {
    expect(addWorkingDays('2026-12-30', -2)).toBe('2026-12-24');
    expect(addWorkingDays('2026-11-22', -1)).toBe('2026-11-20');
  });
  it('returns the date itself for zero', () => {
    expect(addWorkingDays('2026-11-21', 0)).toBe('2026-11-21');
  });
  it('rejects a fractional count', () => {
    expect(() => addWorkingDays('2026-11-20', 1.5)).toThrow(RangeError);
  });
  it('takes 15 working days from a notification over the Platinum Jubilee', () => {
    expect(addWorkingDays('2022-05-27', 15)).toBe('2022-06-21');
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after `from` up to and including `to`', () => {
    expect(workingDaysBetween('2026-11-20', '2026-11-24')).toBe(2);
    expect(workingDaysBetween('2026-11-24', '2026-11-20')).toBe(-2);
    expect(workingDaysBetween('2026-11-20', '2026-11-20')).toBe(0);
    expect(workingDaysBetween('2026-11-20', '2026-11-22')).toBe(0);
  });
});

// Dates in 2012-2028, the years whose bank holidays are checked against gov.uk.
const dateArb = fc
  .date({ min: new Date('2012-01-01T00:00:00Z'), max: new Date('2028-12-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const countArb = fc.integer({ min: -60, max: 60 });

describe('properties', () => {
  it('adding n then subtracting n lands on a working day no later than the start', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 60 }), (date, n) => {
        const back = addWorkingDays(addWorkingDays(date, n), -n);
        expect(isWorkingDay(back)).toBe(true);
        expect(back <= date).toBe(true);
        if (isWorkingDay(date)) expect(back).toBe(date);
      }),
    );
  });

  it('a non-zero step always lands on a working day', () => {
    fc.assert(
      fc.property(
        dateArb,
        countArb.filter((n) => n !== 0),
        (date, n) => {
          expect(isWorkingDay(addWorkingDays(date, n))).toBe(true);
        },
      ),
    );
  });

  it('workingDaysBetween is the inverse of addWorkingDays', () => {
    fc.assert(
      fc.property(dateArb, countArb, (date, n) => {
        expect(workingDaysBetween(date, addWorkingDays(date, n))).toBe(n);
      }),
    );
  });

  it('is monotonic: more working days never gives an earlier date', () => {
    fc.assert(
      fc.property(dateArb, countArb, (date, n) => {
        expect(addWorkingDays(date, n + 1) > addWorkingDays(date, n)).toBe(true);
      }),
    );
  });
});
