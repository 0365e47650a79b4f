import type { VoteRecord } from '../../domain/votes/voteRecord.ts';
import type { NamedPerson } from '../../domain/votes/whoMayVote.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

/** Records the agency's vote unless it already has one; returns whether this call recorded it. */
export async function insertVoteOnce(tx: SqlExecutor, vote: VoteRecord): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO votes (case_id, agency, voter_id, decision, rationale, cast_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (case_id, agency) DO NOTHING RETURNING agency`,
    [vote.caseId, vote.agency, vote.voterId, vote.decision, vote.rationale, vote.castAt],
  );
  return rows.length === 1;
}

/** A `votes` row as the store returns it. */
export interface VoteRow {
  readonly case_id: string;
  readonly agency: string;
  readonly voter_id: string;
  readonly decision: string;
  readonly rationale: string;
  readonly cast_at: Date;
  readonly voted_by?: NamedPerson | null;
  readonly in_place_of?: NamedPerson | null;
}

export const voteOfRow = (r: VoteRow): VoteRecord => ({
  caseId: r.case_id,
  agency: r.agency,
  voterId: r.voter_id,
  decision: r.decision,
  rationale: r.rationale,
  castAt: r.cast_at,
  ...(r.voted_by ? { votedBy: r.voted_by } : {}),
  ...(r.in_place_of ? { inPlaceOf: r.in_place_of } : {}),
});

export async function listVotes(db: SqlExecutor, caseId: string): Promise<VoteRecord[]> {
  const { rows } = await db.query<VoteRow>('SELECT * FROM votes WHERE case_id = $1 ORDER BY cast_at, agency', [caseId]);
  return rows.map(voteOfRow);
}

/**
 * Records the agency's vote (a first vote, or a change of it) and returns the case's votes after it,
 * in one statement: the caller holds the case's lock, so no other vote can come in between.
 */
export async function saveVote(tx: SqlExecutor, vote: VoteRecord, change: 'first' | 'changed'): Promise<VoteRecord[]> {
  const write =
    change === 'first'
      ? `INSERT INTO votes (case_id, agency, voter_id, decision, rationale, cast_at, voted_by, in_place_of) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (case_id, agency) DO NOTHING RETURNING *`
      : `UPDATE votes SET voter_id = $3, decision = $4, rationale = $5, cast_at = $6, voted_by = $7, in_place_of = $8
         WHERE case_id = $1 AND agency = $2 RETURNING *`;
  // The statement's own snapshot does not see the row it writes: the other agencies' rows, and this one as written.
  const { rows } = await tx.query<VoteRow>(
    `WITH written AS (${write})
     SELECT * FROM votes WHERE case_id = $1 AND NOT (agency = $2 AND EXISTS (SELECT 1 FROM written))
     UNION ALL SELECT * FROM written
     ORDER BY cast_at, agency`,
    [
      vote.caseId,
      vote.agency,
      vote.voterId,
      vote.decision,
      vote.rationale,
      vote.castAt,
      vote.votedBy ? JSON.stringify(vote.votedBy) : null,
      vote.inPlaceOf ? JSON.stringify(vote.inPlaceOf) : null,
    ],
  );
  return rows.map(voteOfRow);
}

/** The agencies that have voted on the case. */
export async function votedAgencies(db: SqlExecutor, caseId: string): Promise<string[]> {
  const { rows } = await db.query<{ agency: string }>('SELECT agency FROM votes WHERE case_id = $1', [caseId]);
  return rows.map((v) => v.agency);
}

/** A DSP changes their agency's vote before the decision closes. */
export async function updateVote(tx: SqlExecutor, vote: VoteRecord): Promise<void> {
  await tx.query('UPDATE votes SET voter_id = $3, decision = $4, rationale = $5, cast_at = $6 WHERE case_id = $1 AND agency = $2', [
    vote.caseId,
    vote.agency,
    vote.voterId,
    vote.decision,
    vote.rationale,
    vote.castAt,
  ]);
}

/** The partners vote again (the referrer answered their queries): the case's votes go; the audit log keeps them. */
export async function clearVotes(tx: SqlExecutor, caseId: string): Promise<void> {
  await tx.query('DELETE FROM votes WHERE case_id = $1', [caseId]);
}
