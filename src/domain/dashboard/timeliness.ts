import { addMonths } from 'date-fns';

import { formatIsoDate, type IsoDate, parseIsoDate } from '../calendar/isoDate.ts';

export interface ClockOutcome {
  readonly clockId: string;
  readonly label: string;
  readonly dueDate: IsoDate;
  readonly dueAt: Date;
  readonly completedAt: Date | null;
  /** met / met_late when stopped; a running state otherwise. */
  readonly state: string;
}

export interface Timeliness {
  readonly clockId: string;
  readonly label: string;
  readonly onTime: number;
  readonly late: number;
  /** onTime / (onTime + late), or null when none fell due. */
  readonly share: number | null;
}

/**
 * The partnership's timeliness per clock for its annual report: of the clocks that fell due in the
 * window [from, to] (London dates), how many were met on time. One still running past its due instant
 * counts as late (it was not met in time); one not yet due is left out.
 */
export function timeliness(outcomes: readonly ClockOutcome[], from: IsoDate, to: IsoDate, now: Date): Timeliness[] {
  const byClock = new Map<string, { label: string; onTime: number; late: number }>();
  for (const o of outcomes) {
    if (o.dueDate < from || o.dueDate > to) continue;
    const stopped = o.state === 'met' || o.state === 'met_late';
    if (!stopped && now < o.dueAt) continue;
    const row = byClock.get(o.clockId) ?? { label: o.label, onTime: 0, late: 0 };
    if (o.state === 'met') row.onTime += 1;
    else row.late += 1;
    byClock.set(o.clockId, row);
  }
  return [...byClock].map(([clockId, r]) => ({
    clockId,
    label: r.label,
    onTime: r.onTime,
    late: r.late,
    share: r.onTime + r.late > 0 ? r.onTime / (r.onTime + r.late) : null,
  }));
}

/** Rapid reviews held in the window that led to a local practice review being commissioned. */
export function conversion(
  reviews: readonly { heldOn: IsoDate; commissioned: boolean }[],
  from: IsoDate,
  to: IsoDate,
): { rapidReviews: number; lcsprs: number; share: number | null } {
  const held = reviews.filter((r) => r.heldOn >= from && r.heldOn <= to);
  const lcsprs = held.filter((r) => r.commissioned).length;
  return { rapidReviews: held.length, lcsprs, share: held.length > 0 ? lcsprs / held.length : null };
}

/** Cases received per London month, for every month from `fromMonth` to `toMonth` (YYYY-MM), zeros included. */
export function casesPerMonth(receivedOn: readonly IsoDate[], fromMonth: string, toMonth: string): { month: string; cases: number }[] {
  const months: string[] = [];
  for (let d = parseIsoDate(`${fromMonth}-01`); formatIsoDate(d).slice(0, 7) <= toMonth; d = addMonths(d, 1))
    months.push(formatIsoDate(d).slice(0, 7));
  return months.map((month) => ({ month, cases: receivedOn.filter((d) => d.startsWith(month)).length }));
}
