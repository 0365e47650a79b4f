import type { IsoDate } from '../calendar/isoDate.ts';
import type { CaseEvent } from '../case/caseEvent.ts';
import { dayMonth, fullDate } from '../time/formatLondon.ts';
import { londonDateOf } from '../time/londonTime.ts';

/**
 * When the local authority became aware of the incident. The Panel must be notified "within five
 * working days of becoming aware" (000 L38, 001 L58 and L64, 002 L21, 003 L146, 004 s.5.2), and
 * that is often before the partnership receives the referral: the strategy meeting or the CDOP
 * meeting that decided the criteria were met (002 L6-10). The local authority is one of the
 * partners, so it was aware no later than the partnership received the referral: the awareness is
 * never after the receipt, nor in the future, and without an earlier date it is the receipt.
 *
 * Each `la_aware` event carries the date (`awareOn`) its clocks count from; the latest one holds (the
 * profiles' clocks start on it with `dateField: awareOn, use: latest`), so a correction is a new event
 * that keeps the earlier ones in the record.
 */

/** Where the recorded date came from. */
export type AwarenessBasis = 'referral_received' | 'referral_form' | 'correction';

/** A deadline a correction moved: the clock, and its due date before and after. */
export interface MovedDeadline {
  readonly clockId: string;
  readonly short: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
}

export interface LaAwareness {
  readonly awareOn: IsoDate;
  readonly basis: AwarenessBasis;
  /** For a correction: the date it replaced, when it was recorded, and the deadlines it moved. */
  readonly previousAwareOn?: IsoDate;
  readonly correctedOn?: IsoDate;
  readonly moved?: readonly MovedDeadline[];
}

/** Why an awareness date cannot be right, in the form's words; undefined when it can. */
export function awarenessProblem(awareOn: IsoDate, receivedOn: IsoDate, today: IsoDate): string | undefined {
  if (awareOn > today) return 'must not be in the future';
  if (awareOn > receivedOn)
    return `must not be after the referral was received (${fullDate(receivedOn)}): the local authority, a partner, knew by then`;
  return undefined;
}

function isMoved(value: unknown): value is MovedDeadline {
  const m = value as MovedDeadline | null;
  return typeof m?.clockId === 'string' && typeof m.short === 'string' && typeof m.from === 'string' && typeof m.to === 'string';
}

/** The awareness that holds now: the latest `la_aware` event (events in the order they happened). */
export function currentAwareness(events: readonly CaseEvent[]): LaAwareness | undefined {
  const event = events.filter((e) => e.type === 'la_aware').at(-1);
  if (!event) return undefined;
  const data = event.data ?? {};
  const awareOn = typeof data.awareOn === 'string' ? data.awareOn : londonDateOf(event.at);
  const basis = (['referral_form', 'correction'] as const).find((b) => b === data.basis) ?? 'referral_received';
  if (basis !== 'correction') return { awareOn, basis };
  return {
    awareOn,
    basis,
    ...(typeof data.previousAwareOn === 'string' ? { previousAwareOn: data.previousAwareOn } : {}),
    correctedOn: londonDateOf(event.at),
    moved: Array.isArray(data.moved) ? data.moved.filter(isMoved) : [],
  };
}

/** "Panel notification moved earlier to Fri 31 Dec, was Tue 4 Jan". */
export function movedText(m: MovedDeadline): string {
  return `${m.short} moved ${m.to < m.from ? 'earlier' : 'later'} to ${dayMonth(m.to)}, was ${dayMonth(m.from)}`;
}

/**
 * The case card's line: the date and where it came from, and what a correction moved. A date only,
 * never who said so or why (the reason is in the audit log): the card is seen in the channel.
 */
export function awarenessLine(awareness: LaAwareness | undefined): string {
  if (!awareness) return '';
  const on = fullDate(awareness.awareOn);
  if (awareness.basis === 'referral_received') return `${on} (when the referral was received)`;
  if (awareness.basis === 'referral_form') return `${on} (on the referral form)`;
  const from = awareness.previousAwareOn ? ` from ${fullDate(awareness.previousAwareOn)}` : '';
  const moved = (awareness.moved ?? []).map(movedText);
  return `${on} (corrected on ${dayMonth(awareness.correctedOn!)}${from}${moved.length > 0 ? `: ${moved.join('; ')}` : ''})`;
}
