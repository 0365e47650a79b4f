import { TZDate } from '@date-fns/tz';
import { format, isValid } from 'date-fns';

/** A calendar date written `YYYY-MM-DD`. The calendar works on dates, never on instants. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class InvalidDateError extends Error {
  constructor(
    readonly value: unknown,
    readonly field = 'date',
  ) {
    super(`${field}: "${String(value)}" is not a calendar date in the form YYYY-MM-DD`);
    this.name = 'InvalidDateError';
  }
}

/**
 * Parses a `YYYY-MM-DD` string into a date-fns value pinned to UTC midnight. Pinning the zone makes
 * day arithmetic independent of the process's TZ (and of its DST changes).
 */
export function parseIsoDate(value: IsoDate, field = 'date'): TZDate {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) throw new InvalidDateError(value, field);
  const [, y, m, d] = match;
  const date = new TZDate(Number(y), Number(m) - 1, Number(d), 'UTC');
  // Rejects 2026-02-30 and the like, which Date would silently roll over.
  if (!isValid(date) || formatIsoDate(date) !== value) throw new InvalidDateError(value, field);
  return date;
}

export function formatIsoDate(date: Date): IsoDate {
  return format(date, 'yyyy-MM-dd');
}

export function isIsoDate(value: unknown): value is IsoDate {
  try {
    parseIsoDate(value as string);
    return true;
  } catch {
    return false;
  }
}

/** Builds an IsoDate from parts; month is 1-12. */
export function isoDateOf(year: number, month: number, day: number): IsoDate {
  return formatIsoDate(new TZDate(year, month - 1, day, 'UTC'));
}
