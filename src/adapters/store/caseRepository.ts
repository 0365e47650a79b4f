import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import type { CaseSummary } from '../../domain/referral/caseSummary.ts';
import type { Referral, ReferralType } from '../../domain/referral/referralSchema.ts';
import { isUuid } from '../../domain/validation/uuid.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

/** A `cases` row as the store returns it. */
export interface CaseRow {
  id: string;
  reference: string;
  profile_id: string;
  local_authority: string;
  type: ReferralType;
  stage: string;
  summary: CaseSummary;
  received_at: Date;
  created_at: Date;
  closed_at: Date | null;
}

export const toRecord = (r: CaseRow): CaseRecord => ({
  id: r.id,
  reference: r.reference,
  profileId: r.profile_id,
  localAuthority: r.local_authority,
  type: r.type,
  stage: r.stage,
  summary: r.summary,
  receivedAt: r.received_at,
  createdAt: r.created_at,
  closedAt: r.closed_at,
});

/** `HSSCP-2026-0007`: per prefix and year, numbered from 1 without gaps (the counter row is locked by the upsert). */
export async function nextCaseReference(tx: SqlExecutor, prefix: string, year: number): Promise<string> {
  const { rows } = await tx.query<{ last: number }>(
    `INSERT INTO reference_counters (prefix, year, last) VALUES ($1, $2, 1)
     ON CONFLICT (prefix, year) DO UPDATE SET last = reference_counters.last + 1 RETURNING last`,
    [prefix, year],
  );
  return `${prefix}-${year}-${String(rows[0]!.last).padStart(4, '0')}`;
}

export async function insertCase(
  tx: SqlExecutor,
  c: Omit<CaseRecord, 'closedAt'>,
  referral: Referral,
  submissionKey: string | null = null,
): Promise<void> {
  await tx.query(
    `INSERT INTO cases (id, reference, profile_id, local_authority, type, stage, summary, received_at, created_at, submission_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      c.id,
      c.reference,
      c.profileId,
      c.localAuthority,
      c.type,
      c.stage,
      JSON.stringify(c.summary),
      c.receivedAt,
      c.createdAt,
      submissionKey,
    ],
  );
  await tx.query('INSERT INTO case_details (case_id, referral) VALUES ($1, $2)', [c.id, JSON.stringify(referral)]);
}

export async function findCase(db: SqlExecutor, idOrReference: string): Promise<CaseRecord | undefined> {
  const column = isUuid(idOrReference) ? 'id' : 'reference';
  const { rows } = await db.query<CaseRow>(`SELECT * FROM cases WHERE ${column} = $1`, [idOrReference]);
  return rows[0] && toRecord(rows[0]);
}

/** Locks the case row for the rest of the transaction: changes to one case happen one at a time. */
export async function lockCase(tx: SqlExecutor, id: string): Promise<CaseRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await tx.query<CaseRow>('SELECT * FROM cases WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] && toRecord(rows[0]);
}

export async function setCaseStage(tx: SqlExecutor, id: string, stage: string, closedAt: Date | null = null): Promise<void> {
  await tx.query('UPDATE cases SET stage = $2, closed_at = $3 WHERE id = $1', [id, stage, closedAt]);
}

export async function listCases(db: SqlExecutor, filter: { open?: boolean } = {}): Promise<CaseRecord[]> {
  const where = filter.open === undefined ? '' : filter.open ? 'WHERE closed_at IS NULL' : 'WHERE closed_at IS NOT NULL';
  const { rows } = await db.query<CaseRow>(`SELECT * FROM cases ${where} ORDER BY received_at, reference`);
  return rows.map(toRecord);
}

/** The full referral: only for callers that have checked the reader's role. */
export async function readReferralDetails(db: SqlExecutor, caseId: string): Promise<Referral | undefined> {
  const { rows } = await db.query<{ referral: Referral }>('SELECT referral FROM case_details WHERE case_id = $1', [caseId]);
  return rows[0]?.referral;
}

/** The case a submission with this key already opened, if any. */
export async function findCaseBySubmissionKey(db: SqlExecutor, key: string): Promise<CaseRecord | undefined> {
  const { rows } = await db.query<CaseRow>('SELECT * FROM cases WHERE submission_key = $1', [key]);
  return rows[0] && toRecord(rows[0]);
}
