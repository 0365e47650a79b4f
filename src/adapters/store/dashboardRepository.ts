import type { SqlExecutor } from './sqlExecutor.ts';

/**
 * The dashboard's reads: case rows, clocks, review outcomes and received dates, each over every case
 * or, given `caseIds`, only those (the cases the viewer may see). Reference and initials only: the
 * summary's other fields and the referral stay where they are.
 */
export type CaseIdFilter = readonly string[] | undefined;

/** `$n` matches every case when no filter is given. */
const inCases = (column: string, n: number) => `($${n}::uuid[] IS NULL OR ${column} = ANY($${n}::uuid[]))`;
const param = (caseIds: CaseIdFilter) => (caseIds === undefined ? null : [...caseIds]);

export interface DashboardCaseRow {
  id: string;
  reference: string;
  initials: string;
  profile_id: string;
  stage: string;
  closed: boolean;
}

export async function dashboardCaseRows(db: SqlExecutor, caseIds?: CaseIdFilter): Promise<DashboardCaseRow[]> {
  const { rows } = await db.query<DashboardCaseRow>(
    `SELECT c.id, c.reference, c.summary->>'initials' AS initials, c.profile_id, c.stage,
            (c.closed_at IS NOT NULL OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'case_closed')) AS closed
       FROM cases c WHERE ${inCases('c.id', 1)} ORDER BY c.received_at DESC`,
    [param(caseIds)],
  );
  return rows;
}

export interface RunningClockRow {
  case_id: string;
  clock_id: string;
  item: string;
  state: string;
  owner: string;
  due_date: string;
  due_at: Date;
  due_soon_at: Date | null;
  completed_at: Date | null;
}

/** Running clocks with a due instant, the one due first first. */
export async function runningClocks(db: SqlExecutor, caseIds?: CaseIdFilter): Promise<RunningClockRow[]> {
  const { rows } = await db.query<RunningClockRow>(
    `SELECT case_id, clock_id, item, state, owner, due_date::text AS due_date, due_at, due_soon_at, completed_at FROM clocks
      WHERE state IN ('pending', 'due_soon', 'overdue') AND due_at IS NOT NULL AND ${inCases('case_id', 1)} ORDER BY due_at`,
    [param(caseIds)],
  );
  return rows;
}

export interface ClockOutcomeRow {
  reference: string;
  initials: string;
  stage: string;
  received_at: Date;
  clock_id: string;
  item: string;
  statutory: boolean;
  started_on: string | null;
  due_date: string | null;
  state: string;
  completed_at: Date | null;
}

/** Every started clock of the cases, for the annual report's export. */
export async function clockOutcomeRows(db: SqlExecutor, caseIds?: CaseIdFilter): Promise<ClockOutcomeRow[]> {
  const { rows } = await db.query<ClockOutcomeRow>(
    `SELECT c.reference, c.summary->>'initials' AS initials, c.stage, c.received_at, k.clock_id, k.item, k.statutory,
            k.started_on::text AS started_on, k.due_date::text AS due_date, k.state, k.completed_at
       FROM cases c JOIN clocks k ON k.case_id = c.id
      WHERE k.state NOT IN ('not_started', 'not_applicable') AND ${inCases('c.id', 1)}
      ORDER BY c.received_at, c.reference, k.due_date NULLS LAST, k.clock_id, k.item`,
    [param(caseIds)],
  );
  return rows;
}

export interface StatutoryClockRow {
  clock_id: string;
  state: string;
  due_date: string;
  due_at: Date;
  completed_at: Date | null;
}

/** Statutory clocks due between two London dates (inclusive). */
export async function statutoryClocksDueBetween(
  db: SqlExecutor,
  from: string,
  to: string,
  caseIds?: CaseIdFilter,
): Promise<StatutoryClockRow[]> {
  const { rows } = await db.query<StatutoryClockRow>(
    `SELECT clock_id, state, due_date::text AS due_date, due_at, completed_at FROM clocks
      WHERE due_date BETWEEN $1 AND $2 AND statutory AND ${inCases('case_id', 3)}`,
    [from, to, param(caseIds)],
  );
  return rows;
}

/** Each rapid review meeting held, and whether the case's latest LCSPR decision commissioned a review. */
export async function rapidReviewsHeld(
  db: SqlExecutor,
  caseIds?: CaseIdFilter,
): Promise<{ held_at: Date; commissioned: boolean | null }[]> {
  const { rows } = await db.query<{ held_at: Date; commissioned: boolean | null }>(
    `SELECT h.at AS held_at,
            (SELECT (d.data->>'commission')::boolean FROM case_events d WHERE d.case_id = h.case_id AND d.type = 'lcspr_decision' ORDER BY d.at DESC LIMIT 1) AS commissioned
       FROM case_events h WHERE h.type = 'rr_meeting_held' AND ${inCases('h.case_id', 1)}`,
    [param(caseIds)],
  );
  return rows;
}

export async function casesReceivedSince(db: SqlExecutor, since: Date, caseIds?: CaseIdFilter): Promise<{ received_at: Date }[]> {
  const { rows } = await db.query<{ received_at: Date }>(`SELECT received_at FROM cases WHERE received_at >= $1 AND ${inCases('id', 2)}`, [
    since,
    param(caseIds),
  ]);
  return rows;
}

export async function caseMeetings(
  db: SqlExecutor,
  caseId: string,
): Promise<{ kind: string; title: string | null; starts_at: Date | null; ends_at: Date | null; status: string }[]> {
  const { rows } = await db.query<{ kind: string; title: string | null; starts_at: Date | null; ends_at: Date | null; status: string }>(
    'SELECT kind, title, starts_at, ends_at, status FROM meetings WHERE case_id = $1 ORDER BY starts_at NULLS LAST',
    [caseId],
  );
  return rows;
}
