import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import { holdersOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { leadsToNotification } from '../../domain/decisions/decisionRoute.ts';
import type { AppContext } from '../appContext.ts';
import { queueRationaleShare } from '../mail/queueRationaleShare.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';
import { queueDecisionAnnouncement } from '../teams/caseAnnouncements.ts';
import { recordCaseEvent } from './recordCaseEvent.ts';

/**
 * What a notification decision sets going, in the decision's transaction, whether the DSPs agreed it
 * or it came out of the dispute resolution procedure: to the Panel notification, the form forwarded
 * to the child's local authority's notifier (recorded, and emailed); any other agreed route, the
 * referrer told the decision and the reasons.
 */
export async function queueDecisionMessages(
  tx: SqlExecutor,
  ctx: AppContext,
  record: CaseRecord,
  outcome: string,
  at: Date,
): Promise<void> {
  await queueDecisionAnnouncement(tx, ctx, record, outcome);
  if (outcome === 'disagreed') return;
  await queueRationaleShare(tx, ctx, record, outcome, at);
  if (leadsToNotification(ctx.profile, outcome)) {
    await recordCaseEvent(tx, ctx, record.id, {
      type: 'forwarded_to_notifier',
      at,
      data: { localAuthority: record.localAuthority },
      actor: 'system:decision',
    });
    for (const notifier of await holdersOf(tx, 'la_notifier', record.localAuthority)) {
      await enqueueMessage(
        tx,
        {
          dedupeKey: dedupeKeys.notifierEmail(record.id, notifier.userId),
          caseId: record.id,
          kind: 'case_email',
          recipient: notifier.userId,
          payload: { caseId: record.id, template: 'notifier', recipient: notifier.userId },
          availableAt: at,
        },
        at,
      );
    }
    return;
  }
  await enqueueMessage(
    tx,
    {
      dedupeKey: dedupeKeys.referrerEmail(record.id),
      caseId: record.id,
      kind: 'case_email',
      recipient: 'referrer',
      payload: { caseId: record.id, template: 'referrer' },
      availableAt: at,
    },
    at,
  );
}
