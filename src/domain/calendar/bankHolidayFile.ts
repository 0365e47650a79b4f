import { z } from 'zod';

import type { BankHoliday } from './bankHoliday.ts';
import { isIsoDate } from './isoDate.ts';

/**
 * The gov.uk `bank-holidays.json` shape. An operator drops this file in to add a holiday announced
 * after a release: for every year the file lists, its events are the bank holidays of that year.
 */
export const bankHolidayFileSchema = z
  .object({
    'england-and-wales': z.object({
      division: z.literal('england-and-wales'),
      events: z.array(
        z.object({
          title: z.string().min(1),
          date: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD'),
          notes: z.string().default(''),
          bunting: z.boolean().default(false),
        }),
      ),
    }),
  })
  .loose();

export type BankHolidayFile = z.input<typeof bankHolidayFileSchema>;

export class BankHolidayFileError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${source}: ${field}: ${detail}`);
    this.name = 'BankHolidayFileError';
  }
}

/** Validates a parsed file and returns its England-and-Wales events; errors name the file and field. */
export function readBankHolidayFile(json: unknown, source: string): BankHoliday[] {
  const parsed = bankHolidayFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BankHolidayFileError(source, issue.path.join('.') || '(root)', issue.message);
  }
  return parsed.data['england-and-wales'].events.map((e) => ({ date: e.date, title: e.title, notes: e.notes }));
}
