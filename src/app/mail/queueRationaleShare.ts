import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import { holdersOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import type { AppContext } from '../appContext.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';

/**
 * Darlington: "Whatever the decision of the SSP, the rationale will be recorded and shared with the
 * Learning and Development Group" (004 s.5.6; s.10.4-10.5 for every decision not to notify). Queued in
 * the decision's transaction, one email to each member of the profile's group, so it goes if and only
 * if the decision is kept; the email, once sent, is a case event and in the audit log.
 */
export async function queueRationaleShare(tx: SqlExecutor, ctx: AppContext, record: CaseRecord, outcome: string, at: Date): Promise<void> {
  const share = ctx.profile.notificationDecision.shareRationale;
  if (!share || !share.outcomes.includes(outcome)) return;
  for (const member of await holdersOf(tx, share.with)) {
    await enqueueMessage(
      tx,
      {
        dedupeKey: dedupeKeys.rationaleEmail(record.id, outcome, member.userId),
        caseId: record.id,
        kind: 'case_email',
        recipient: member.userId,
        payload: { caseId: record.id, template: 'rationale_share', recipient: member.userId },
        availableAt: at,
      },
      at,
    );
  }
}
