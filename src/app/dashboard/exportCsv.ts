import { stringify } from 'csv-stringify/sync';

import { appendAudit } from '../../adapters/store/auditLog.ts';
import { type ClockOutcomeRow, clockOutcomeRows } from '../../adapters/store/dashboardRepository.ts';
import { endOfLondonDay } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import type { Viewer } from './viewer.ts';
import { visibleCaseIds } from './visibleCases.ts';

/** Cells a spreadsheet would run as a formula are written as text (CSV injection). */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Cases and their clock outcomes, one row per clock, for the annual report: the cases the viewer may
 * see, so an agency's lead exports their agency's cases and the business manager the partnership's.
 * Reference and initials only; the export is audited, with how many cases it could cover.
 */
export async function exportCasesCsv(ctx: AppContext, viewer: Viewer): Promise<string> {
  const visible = await visibleCaseIds(ctx, viewer);
  const rows = await clockOutcomeRows(ctx.db, visible);
  const now = ctx.now();
  const label = new Map(ctx.profile.clocks.map((c) => [c.id, c.label]));
  const outcome = (r: ClockOutcomeRow) =>
    r.state === 'met'
      ? 'met on time'
      : r.state === 'met_late'
        ? 'met late'
        : r.due_date && now >= endOfLondonDay(r.due_date)
          ? 'overdue'
          : 'running';
  const csv = stringify([
    ['reference', 'initials', 'stage', 'received', 'clock', 'item', 'statutory', 'started', 'due', 'completed', 'outcome'],
    ...rows.map((r) =>
      [
        r.reference,
        r.initials,
        r.stage,
        r.received_at.toISOString(),
        label.get(r.clock_id) ?? r.clock_id,
        r.item,
        r.statutory ? 'yes' : 'no',
        r.started_on,
        r.due_date,
        r.completed_at?.toISOString() ?? '',
        outcome(r),
      ].map(cell),
    ),
  ]);
  await appendAudit(ctx.db, {
    at: now,
    actor: viewer.oid,
    action: 'cases_exported',
    caseId: null,
    details: { rows: rows.length, cases: visible === undefined ? 'all' : visible.length },
  });
  return csv;
}
