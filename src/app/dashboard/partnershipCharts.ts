import { addDays, subMonths } from 'date-fns';
import { formatIsoDate, parseIsoDate } from '../../domain/calendar/isoDate.ts';
import { casesPerMonth, conversion, timeliness } from '../../domain/dashboard/timeliness.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';

/**
 * The figures partners sign off in their annual report, over the 12 months to today (London dates):
 * the share of each statutory clock met on time, rapid reviews that became local practice reviews,
 * and cases received per month.
 */
export async function partnershipCharts(ctx: AppContext) {
  const now = ctx.now();
  const to = londonDateOf(now);
  // The 12 months to today: from the day after the same date a year ago.
  const from = formatIsoDate(addDays(subMonths(parseIsoDate(to), 12), 1));
  const labels = new Map(ctx.profile.clocks.map((c) => [c.id, c.short ?? c.label]));
  const statutory = new Set(ctx.profile.clocks.filter((c) => c.statutory).map((c) => c.id));
  const { rows: clocks } = await ctx.db.query<{ clock_id: string; state: string; due_date: string; due_at: Date; completed_at: Date | null }>(
    `SELECT clock_id, state, due_date::text AS due_date, due_at, completed_at FROM clocks WHERE due_date BETWEEN $1 AND $2 AND statutory`, [from, to]);
  const { rows: reviews } = await ctx.db.query<{ held_at: Date; commissioned: boolean | null }>(
    `SELECT h.at AS held_at,
            (SELECT (d.data->>'commission')::boolean FROM case_events d WHERE d.case_id = h.case_id AND d.type = 'lcspr_decision' ORDER BY d.at DESC LIMIT 1) AS commissioned
       FROM case_events h WHERE h.type = 'rr_meeting_held'`);
  const { rows: received } = await ctx.db.query<{ received_at: Date }>('SELECT received_at FROM cases WHERE received_at >= $1', [subMonths(now, 13)]);
  return {
    from, to,
    timeliness: timeliness(
      clocks.filter((c) => statutory.has(c.clock_id)).map((c) => ({ clockId: c.clock_id, label: labels.get(c.clock_id) ?? c.clock_id, dueDate: c.due_date, dueAt: c.due_at, completedAt: c.completed_at, state: c.state })),
      from, to, now),
    conversion: conversion(reviews.map((r) => ({ heldOn: londonDateOf(r.held_at), commissioned: r.commissioned === true })), from, to),
    casesPerMonth: casesPerMonth(received.map((r) => londonDateOf(r.received_at)), formatIsoDate(subMonths(parseIsoDate(to), 11)).slice(0, 7), to.slice(0, 7)),
  };
}
