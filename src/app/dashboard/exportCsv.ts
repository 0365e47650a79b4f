import { stringify } from 'csv-stringify/sync';
import { appendAudit } from '../../adapters/store/auditLog.ts';
import { endOfLondonDay } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import type { Viewer } from './viewer.ts';

/** Cells a spreadsheet would run as a formula are written as text (CSV injection). */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Cases and their clock outcomes, one row per clock, for the annual report. Reference and initials
 * only; the export is audited.
 */
export async function exportCasesCsv(ctx: AppContext, viewer: Viewer): Promise<string> {
  const { rows } = await ctx.db.query<{ reference: string; initials: string; stage: string; received_at: Date; clock_id: string; item: string; statutory: boolean; started_on: string | null; due_date: string | null; state: string; completed_at: Date | null }>(
    `SELECT c.reference, c.summary->>'initials' AS initials, c.stage, c.received_at, k.clock_id, k.item, k.statutory,
            k.started_on::text AS started_on, k.due_date::text AS due_date, k.state, k.completed_at
       FROM cases c JOIN clocks k ON k.case_id = c.id
      WHERE k.state NOT IN ('not_started', 'not_applicable')
      ORDER BY c.received_at, c.reference, k.due_date NULLS LAST, k.clock_id, k.item`);
  const now = ctx.now();
  const label = new Map(ctx.profile.clocks.map((c) => [c.id, c.label]));
  const outcome = (r: (typeof rows)[number]) => (r.state === 'met' ? 'met on time' : r.state === 'met_late' ? 'met late' : r.due_date && now >= endOfLondonDay(r.due_date) ? 'overdue' : 'running');
  const csv = stringify([
    ['reference', 'initials', 'stage', 'received', 'clock', 'item', 'statutory', 'started', 'due', 'completed', 'outcome'],
    ...rows.map((r) => [r.reference, r.initials, r.stage, r.received_at.toISOString(), label.get(r.clock_id) ?? r.clock_id, r.item, r.statutory ? 'yes' : 'no', r.started_on, r.due_date, r.completed_at?.toISOString() ?? '', outcome(r)].map(cell)),
  ]);
  await appendAudit(ctx.db, { at: now, actor: viewer.oid, action: 'cases_exported', caseId: null, details: { rows: rows.length } });
  return csv;
}
