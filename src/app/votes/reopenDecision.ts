import { appendAudit } from '../../adapters/store/auditLog.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { clearVotes, listVotes } from '../../adapters/store/voteRepository.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';

/**
 * The decision opens again for a new round of votes (Stockport: the referrer answered the Virtual
 * Panel's queries, 003 Appendix A 2.1), inside the step's transaction: the votes are cleared so each
 * partner votes anew, and the round just ended is written to the audit log first (each vote is also
 * there as it was cast, and in the decision event that closed the round).
 */
export async function reopenDecision(tx: SqlExecutor, record: CaseRecord, actor: string, at: Date): Promise<void> {
  const previous = await listVotes(tx, record.id);
  await clearVotes(tx, record.id);
  await appendAudit(tx, {
    at,
    actor,
    action: 'decision_reopened',
    caseId: record.id,
    details: {
      reference: record.reference,
      previousRound: previous.map((v) => ({
        agency: v.agency,
        voterId: v.voterId,
        decision: v.decision,
        rationale: v.rationale,
        castAt: v.castAt.toISOString(),
      })),
    },
  });
}
