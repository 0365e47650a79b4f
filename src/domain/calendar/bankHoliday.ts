import type { IsoDate } from './isoDate.ts';

/** One bank holiday, titled as gov.uk titles it. */
export interface BankHoliday {
  readonly date: IsoDate;
  readonly title: string;
  readonly notes?: string;
}
