import type { IsoDate } from '../calendar/isoDate.ts';
import type { DspDeputy } from '../people/dspDeputy.ts';
import { fullDate } from '../time/formatLondon.ts';

/** Someone named for a vote: their Entra object id and the name the bot knows them by. */
export interface NamedPerson {
  readonly id: string;
  readonly name: string;
}

export type VoterCheck =
  | { readonly kind: 'dsp' }
  /** A deputy acting today, voting in place of the agency's DSP (absent if the agency has none just now). */
  | { readonly kind: 'deputy'; readonly votedBy: NamedPerson; readonly inPlaceOf?: NamedPerson }
  /** Neither the DSP nor a deputy of the agency. */
  | { readonly kind: 'not_a_voter' }
  /** A deputy of the agency, on a day outside their acting dates: `reason` says which dates, and today's. */
  | { readonly kind: 'outside_dates'; readonly reason: string };

export interface VoterQuestion {
  readonly agency: string;
  readonly agencyLabel: string;
  readonly voterId: string;
  /** The agency's DSP(s), as configured. */
  readonly dsps: readonly NamedPerson[];
  /** The agency's deputies, as configured (any dates). */
  readonly deputies: readonly DspDeputy[];
  /** Today in London (the injected clock's date): the acting dates are London dates. */
  readonly today: IsoDate;
}

/** "Mon 7 Dec", or "Mon 7 Dec 2026" for the last date of a range (and for a range across years). */
function dateRange(from: IsoDate, until: IsoDate): string {
  const sameYear = from.slice(0, 4) === until.slice(0, 4);
  return `from ${sameYear ? fullDate(from).slice(0, -5) : fullDate(from)} to ${fullDate(until)}`;
}

/**
 * Who may cast an agency's vote: its DSP, or a deputy on a day inside their acting dates (both ends
 * included). Outside them a deputy is told the dates they act on and today's date, so they know why.
 */
export function whoMayVote(q: VoterQuestion): VoterCheck {
  if (q.dsps.some((d) => d.id === q.voterId)) return { kind: 'dsp' };
  const mine = q.deputies.filter((d) => d.agency === q.agency && d.userId === q.voterId);
  if (mine.length === 0) return { kind: 'not_a_voter' };
  const acting = mine.find((d) => d.actsFrom <= q.today && q.today <= d.actsUntil);
  if (!acting) {
    const periods = mine.map((d) => dateRange(d.actsFrom, d.actsUntil)).join(' and ');
    return { kind: 'outside_dates', reason: `you act as deputy for ${q.agencyLabel} ${periods}; today is ${fullDate(q.today)}` };
  }
  const dsp = q.dsps[0];
  return {
    kind: 'deputy',
    votedBy: { id: acting.userId, name: acting.displayName ?? acting.userId },
    ...(dsp ? { inPlaceOf: dsp } : {}),
  };
}
