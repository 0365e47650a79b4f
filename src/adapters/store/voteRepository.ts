import type { VoteRecord } from '../../domain/votes/voteRecord.ts';
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

export async function listVotes(db: SqlExecutor, caseId: string): Promise<VoteRecord[]> {
  const { rows } = await db.query<{
    case_id: string;
    agency: string;
    voter_id: string;
    decision: string;
    rationale: string;
    cast_at: Date;
  }>('SELECT * FROM votes WHERE case_id = $1 ORDER BY cast_at, agency', [caseId]);
  return rows.map((r) => ({
    caseId: r.case_id,
    agency: r.agency,
    voterId: r.voter_id,
    decision: r.decision,
    rationale: r.rationale,
    castAt: r.cast_at,
  }));
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
