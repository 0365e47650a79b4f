import { appendCaseEvent } from '../../adapters/store/caseEventRepository.ts';
import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { CaseEvent } from '../../domain/case/caseEvent.ts';
import type { AppContext } from '../appContext.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';

/**
 * Records something that happened on a case, and queues in the same transaction the meetings the
 * profile books on it (the DSP call on a referral, the rapid review when the Panel notification is
 * confirmed, the governance meeting after the rapid review...). Every stage records its events here.
 */
export async function recordCaseEvent(
  tx: SqlExecutor,
  ctx: AppContext,
  caseId: string,
  event: CaseEvent & { actor: string },
): Promise<void> {
  const at = ctx.now();
  await appendCaseEvent(tx, caseId, { ...event, recordedAt: at });
  for (const meeting of ctx.profile.meetings.filter((m) => m.bookOn === event.type)) {
    const when = meeting.when;
    if (when && when.event === event.type && !when.in.includes(event.data?.[when.field] as string | boolean)) continue;
    await enqueueMessage(
      tx,
      {
        dedupeKey: dedupeKeys.meeting(caseId, meeting.kind),
        caseId,
        kind: 'book_meeting',
        recipient: 'partnership_mailbox',
        payload: { caseId, kind: meeting.kind },
        availableAt: at,
      },
      at,
    );
  }
  // A meeting date set by hand moves the booked meeting (or books it that day): through the outbox, once per setting.
  for (const meeting of ctx.profile.meetings.filter((m) => m.movedBy?.event === event.type)) {
    const day = String(event.data?.[meeting.movedBy!.dateField] ?? '');
    await enqueueMessage(
      tx,
      {
        dedupeKey: dedupeKeys.meetingSetByHand(caseId, meeting.kind, `${day}@${at.toISOString()}`),
        caseId,
        kind: 'book_meeting',
        recipient: 'partnership_mailbox',
        payload: { caseId, kind: meeting.kind },
        availableAt: at,
      },
      at,
    );
  }
}
