import { createHash } from 'node:crypto';

import { canonicalJson } from '../../domain/audit/canonicalJson.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

export interface AuditEntryInput {
  readonly at: Date;
  /** Entra object id of the person, or `system:<component>`. */
  readonly actor: string;
  readonly action: string;
  readonly caseId?: string | null;
  /** Never the child's name or other identifying detail: references, ids, decisions, rationale. */
  readonly details: Record<string, unknown>;
}

export interface AuditEntry extends AuditEntryInput {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditProblem =
  | { readonly kind: 'missing'; readonly seq: number }
  | { readonly kind: 'tampered'; readonly seq: number }
  | { readonly kind: 'broken_link'; readonly seq: number }
  | { readonly kind: 'head_mismatch'; readonly seq: number };

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly problems: readonly AuditProblem[];
}

function hashOf(entry: Omit<AuditEntry, 'hash'>): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    caseId: entry.caseId ?? null,
    details: entry.details,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Appends one entry inside the caller's transaction. Locking the head row orders concurrent appends,
 * so the chain has no fork and no gap; the entry commits or rolls back with the change it records.
 */
export async function appendAudit(tx: SqlExecutor, input: AuditEntryInput): Promise<AuditEntry> {
  return (await appendAudits(tx, [input]))[0]!;
}

/**
 * Appends entries in order, in two statements however many: the head is locked and read, then the
 * entries and the new head are written together (the hashes are computed here, between the two).
 */
export async function appendAudits(tx: SqlExecutor, inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  const { rows } = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE singleton FOR UPDATE');
  let head = rows[0]!;
  const entries = inputs.map((input) => {
    const unhashed = { ...input, caseId: input.caseId ?? null, seq: head.seq + 1, prevHash: head.hash };
    const entry: AuditEntry = { ...unhashed, hash: hashOf(unhashed) };
    head = entry;
    return entry;
  });
  const values = entries.flatMap((e) => [e.seq, e.at, e.actor, e.action, e.caseId, JSON.stringify(e.details), e.prevHash, e.hash]);
  const tuples = entries.map((_, i) => `(${Array.from({ length: 8 }, (_, j) => `$${i * 8 + j + 1}`).join(', ')})`).join(', ');
  const last = entries.length * 8;
  await tx.query(
    `WITH appended AS (INSERT INTO audit_log (seq, at, actor, action, case_id, details, prev_hash, hash) VALUES ${tuples})
     UPDATE audit_head SET seq = $${last - 7}, hash = $${last} WHERE singleton`,
    values,
  );
  return entries;
}

interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  case_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    caseId: row.case_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export async function auditEntriesForCase(db: SqlExecutor, caseId: string): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditRow>('SELECT * FROM audit_log WHERE case_id = $1 ORDER BY seq', [caseId]);
  return rows.map(toEntry);
}

/**
 * Walks the whole chain: every entry's hash must match its content, every entry must point at the
 * one before it, sequence numbers must have no gap, and the head must name the last entry (so
 * deleting the newest entries shows too).
 */
export async function verifyAuditChain(db: SqlExecutor, batchSize = 5_000): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let expectedSeq = 1;
  let prevHash = 'genesis';
  let entries = 0;
  for (;;) {
    const { rows } = await db.query<AuditRow>('SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2', [expectedSeq, batchSize]);
    for (const row of rows.map(toEntry)) {
      entries += 1;
      for (; expectedSeq < row.seq; expectedSeq += 1) problems.push({ kind: 'missing', seq: expectedSeq });
      if (hashOf(row) !== row.hash) problems.push({ kind: 'tampered', seq: row.seq });
      else if (row.prevHash !== prevHash) problems.push({ kind: 'broken_link', seq: row.seq });
      prevHash = row.hash;
      expectedSeq = row.seq + 1;
    }
    if (rows.length < batchSize) break;
  }
  const { rows: head } = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head');
  const lastSeq = expectedSeq - 1;
  const recorded = head[0]!;
  if (recorded.seq > lastSeq) {
    for (let seq = lastSeq + 1; seq <= recorded.seq; seq += 1) problems.push({ kind: 'missing', seq });
  } else if (recorded.seq < lastSeq || recorded.hash !== prevHash) {
    problems.push({ kind: 'head_mismatch', seq: recorded.seq });
  }
  return { ok: problems.length === 0, entries, problems };
}
