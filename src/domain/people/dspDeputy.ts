import type { IsoDate } from '../calendar/isoDate.ts';

/**
 * Someone who votes for an agency while its DSP cannot, between two London dates (both inclusive).
 * A deputy is not the DSP: an agency still needs a DSP of its own (the admin card's lock-out rule).
 */
export interface DspDeputy {
  readonly agency: string;
  /** Entra object id. */
  readonly userId: string;
  readonly displayName?: string | null;
  readonly actsFrom: IsoDate;
  readonly actsUntil: IsoDate;
}

/** One line per deputy, as the audit log records the deputies before and after a change. */
export const deputyKey = (d: DspDeputy) => `dsp_deputy/${d.agency}/${d.userId}/${d.actsFrom}/${d.actsUntil}`;
