import { addDays, subMonths } from 'date-fns';

import { casesReceivedSince, rapidReviewsHeld, statutoryClocksDueBetween } from '../../adapters/store/dashboardRepository.ts';
import { formatIsoDate, parseIsoDate } from '../../domain/calendar/isoDate.ts';
import { casesPerMonth, conversion, timeliness } from '../../domain/dashboard/timeliness.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import type { Viewer } from './viewer.ts';
import { visibleCaseIds } from './visibleCases.ts';

/**
 * The figures partners sign off in their annual report, over the 12 months to today (London dates):
 * the share of each statutory clock met on time, rapid reviews that became local practice reviews,
 * and cases received per month. Counted over the cases the viewer may see, not the partnership's:
 * live monthly counts in a small area would tell an agency's lead that a referral they were not
 * asked about has just arrived, which the case list is careful not to. `covers` says which it is.
 */
export async function partnershipCharts(ctx: AppContext, viewer: Viewer) {
  const now = ctx.now();
  const to = londonDateOf(now);
  // The 12 months to today: from the day after the same date a year ago.
  const from = formatIsoDate(addDays(subMonths(parseIsoDate(to), 12), 1));
  const labels = new Map(ctx.profile.clocks.map((c) => [c.id, c.short ?? c.label]));
  const statutory = new Set(ctx.profile.clocks.filter((c) => c.statutory).map((c) => c.id));
  const visible = await visibleCaseIds(ctx, viewer);
  const [clocks, reviews, received] = await Promise.all([
    statutoryClocksDueBetween(ctx.db, from, to, visible),
    rapidReviewsHeld(ctx.db, visible),
    casesReceivedSince(ctx.db, subMonths(now, 13), visible),
  ]);
  return {
    from,
    to,
    covers: visible === undefined ? 'every case' : 'the cases you can see',
    timeliness: timeliness(
      clocks
        .filter((c) => statutory.has(c.clock_id))
        .map((c) => ({
          clockId: c.clock_id,
          label: labels.get(c.clock_id) ?? c.clock_id,
          dueDate: c.due_date,
          dueAt: c.due_at,
          completedAt: c.completed_at,
          state: c.state,
        })),
      from,
      to,
      now,
    ),
    conversion: conversion(
      reviews.map((r) => ({ heldOn: londonDateOf(r.held_at), commissioned: r.commissioned === true })),
      from,
      to,
    ),
    casesPerMonth: casesPerMonth(
      received.map((r) => londonDateOf(r.received_at)),
      formatIsoDate(subMonths(parseIsoDate(to), 11)).slice(0, 7),
      to.slice(0, 7),
    ),
  };
}
