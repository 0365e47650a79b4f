import type { IsoDate } from './isoDate.ts';
import type { StandingRule } from './standingRules.ts';

/**
 * Bank holidays moved or added by royal proclamation. The standing rules cannot know these, so they
 * live in this table, which is reviewed whenever gov.uk announces a change.
 */
export type OneOffChange =
  | {
      readonly kind: 'moved';
      readonly year: number;
      readonly rule: StandingRule;
      readonly to: IsoDate;
      readonly title: string;
      readonly reason: string;
    }
  | { readonly kind: 'added'; readonly date: IsoDate; readonly title: string; readonly reason: string };

export const ONE_OFF_CHANGES: readonly OneOffChange[] = [
  { kind: 'added', date: '2011-04-29', title: 'Royal wedding', reason: 'Wedding of Prince William and Catherine Middleton' },
  { kind: 'moved', year: 2012, rule: 'spring', to: '2012-06-04', title: 'Spring bank holiday', reason: 'Moved for the Diamond Jubilee' },
  { kind: 'added', date: '2012-06-05', title: 'Queen’s Diamond Jubilee', reason: 'Diamond Jubilee of Queen Elizabeth II' },
  {
    kind: 'moved',
    year: 2020,
    rule: 'early-may',
    to: '2020-05-08',
    title: 'Early May bank holiday (VE day)',
    reason: '75th anniversary of VE day',
  },
  { kind: 'moved', year: 2022, rule: 'spring', to: '2022-06-02', title: 'Spring bank holiday', reason: 'Moved for the Platinum Jubilee' },
  { kind: 'added', date: '2022-06-03', title: 'Platinum Jubilee bank holiday', reason: 'Platinum Jubilee of Queen Elizabeth II' },
  { kind: 'added', date: '2022-09-19', title: 'Bank Holiday for the State Funeral of Queen Elizabeth II', reason: 'State funeral' },
  { kind: 'added', date: '2023-05-08', title: 'Bank holiday for the coronation of King Charles III', reason: 'Coronation' },
];

/**
 * The table has been checked against gov.uk's published list from this year up to this one.
 * Outside it, the calendar uses the standing rules and says so in a warning, because a one-off change
 * not yet in the table would silently shift every statutory clock across it.
 */
export const ONE_OFF_TABLE_COVERS = { from: 2012, to: 2028 } as const;
