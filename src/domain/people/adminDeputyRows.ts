import { isIsoDate } from '../calendar/isoDate.ts';
import type { Profile } from '../profiles/profileSchema.ts';
import type { DspDeputy } from './dspDeputy.ts';

/** One deputy row of the admin card, as shown or as submitted (empty strings for what is not chosen). */
export interface DeputyRow {
  readonly agency: string;
  readonly index: number;
  readonly userId: string;
  readonly actsFrom: string;
  readonly actsUntil: string;
}

const FIELD = /^deputy__([a-z0-9_]+?)__(\d+)__(user|from|until)$/;

/** The card's input ids for an agency's `index`th deputy row. */
export const deputyFieldIds = (agency: string, index: number) => ({
  user: `deputy__${agency}__${index}__user`,
  from: `deputy__${agency}__${index}__from`,
  until: `deputy__${agency}__${index}__until`,
});

/** The deputy rows a submitted admin card carries, of the profile's deciding agencies, in the card's order. */
export function deputyRowsOf(profile: Profile, data: Record<string, unknown>): DeputyRow[] {
  const rows = new Map<string, { agency: string; index: number; user: string; from: string; until: string }>();
  for (const [key, value] of Object.entries(data)) {
    const m = FIELD.exec(key);
    if (!m || !profile.notificationDecision.deciders.includes(m[1]!)) continue;
    const [agency, index, part] = [m[1]!, Number(m[2]), m[3] as 'user' | 'from' | 'until'];
    const row = rows.get(`${agency}/${index}`) ?? { agency, index, user: '', from: '', until: '' };
    rows.set(`${agency}/${index}`, { ...row, [part]: String(value ?? '').trim() });
  }
  const order = profile.notificationDecision.deciders;
  return [...rows.values()]
    .sort((a, b) => order.indexOf(a.agency) - order.indexOf(b.agency) || a.index - b.index)
    .map((r) => ({ agency: r.agency, index: r.index, userId: r.user, actsFrom: r.from, actsUntil: r.until }));
}

/** The rows as card data again: what a confirmation's buttons carry back, so confirming keeps the deputies. */
export function deputyRowsData(rows: readonly DeputyRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.flatMap((r) => {
      const ids = deputyFieldIds(r.agency, r.index);
      return [
        [ids.user, r.userId],
        [ids.from, r.actsFrom],
        [ids.until, r.actsUntil],
      ];
    }),
  );
}

/**
 * The deputies the rows name (a row without a person is empty, whatever its dates), or why they cannot
 * be saved: each needs both acting dates, the second on or after the first; a deputy is not the
 * agency's DSP (so does not count as one), and is named once per agency.
 */
export function deputiesOfRows(
  rows: readonly DeputyRow[],
  dspOf: (agency: string) => readonly string[],
  labelOf: (agency: string) => string,
): { deputies: DspDeputy[]; problem?: string } {
  const named = rows.filter((r) => r.userId !== '');
  for (const r of named) {
    const label = labelOf(r.agency);
    if (!isIsoDate(r.actsFrom) || !isIsoDate(r.actsUntil))
      return { deputies: [], problem: `give each deputy DSP for ${label} the dates they act from and until` };
    if (r.actsUntil < r.actsFrom)
      return { deputies: [], problem: `a deputy DSP for ${label} must act until a date on or after the date they act from` };
    if (dspOf(r.agency).includes(r.userId)) return { deputies: [], problem: `the DSP for ${label} cannot also be its deputy` };
    if (named.some((o) => o !== r && o.agency === r.agency && o.userId === r.userId && o.index < r.index))
      return { deputies: [], problem: `name each deputy DSP for ${label} once` };
  }
  return { deputies: named.map((r) => ({ agency: r.agency, userId: r.userId, actsFrom: r.actsFrom, actsUntil: r.actsUntil })) };
}

/**
 * The rows the card shows: each deputy named (stored, or as submitted when a save is refused), then an
 * empty row per deciding agency to name another.
 */
export function shownDeputyRows(
  profile: Profile,
  deputies: readonly Pick<DeputyRow, 'agency' | 'userId' | 'actsFrom' | 'actsUntil'>[],
): DeputyRow[] {
  return profile.notificationDecision.deciders.flatMap((agency) => {
    const mine = deputies.filter((d) => d.agency === agency && d.userId !== '');
    return [
      ...mine.map((d, index) => ({ agency, index, userId: d.userId, actsFrom: d.actsFrom, actsUntil: d.actsUntil })),
      { agency, index: mine.length, userId: '', actsFrom: '', actsUntil: '' },
    ];
  });
}
