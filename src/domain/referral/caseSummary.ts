import { differenceInYears } from 'date-fns';

import { type IsoDate, parseIsoDate } from '../calendar/isoDate.ts';
import type { Referral } from './referralSchema.ts';

/**
 * What may be shown about a child in a channel, a log or an error (domain.md, "Sensitivity"):
 * initials, an age band and dates. Nothing else from the referral belongs here.
 */
export interface CaseSummary {
  readonly initials: string;
  readonly ageBand: string;
  readonly incidentDate: IsoDate;
  /** The referrer's agency (not the referrer): cards say who referred without naming a person. */
  readonly referringAgency: string;
}

/** "Alex Q. Fictional-Person" → "A.Q.F." */
export function initialsOf(name: string): string {
  return (
    name
      .split(/[\s-]+/)
      .map((part) =>
        part
          .replace(/[^\p{L}]/gu, '')
          .charAt(0)
          .toUpperCase(),
      )
      .filter(Boolean)
      .join('.') + '.'
  );
}

const BANDS: ReadonlyArray<readonly [number, string]> = [
  [1, 'under 1'],
  [5, '1-4'],
  [10, '5-9'],
  [13, '10-12'],
  [16, '13-15'],
  [18, '16-17'],
];

/** Age at the incident, banded so that it cannot single a child out. */
export function ageBandAt(dateOfBirth: IsoDate, on: IsoDate): string {
  const age = differenceInYears(parseIsoDate(on), parseIsoDate(dateOfBirth));
  return BANDS.find(([below]) => age < below)?.[1] ?? '18 or over';
}

export function summarise(referral: Referral): CaseSummary {
  return {
    initials: initialsOf(referral.child.name),
    ageBand: ageBandAt(referral.child.dateOfBirth, referral.incident.date),
    incidentDate: referral.incident.date,
    referringAgency: referral.referrer.agency,
  };
}
