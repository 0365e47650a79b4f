import { enqueueCoalesced, enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import { holdersOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import { leadsToNotification, nextStageOf } from '../../domain/decisions/decisionRoute.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
import type { AppContext } from '../appContext.ts';
import { outcomeLabel } from '../cards/caseCardModel.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';

/**
 * What Teams must be told after a change to a case, queued in the change's own transaction: the posts
 * go if and only if the change is kept, and survive a crash (they were in-memory work after the
 * answer, and 6 of 37 decided cases in a crash test never got the notifier's card). Every card is
 * built when it is sent, from the case as it is then, so a post never shows a state already gone.
 */

/** A new case: its thread in the partnership channel, and each DSP's 1:1 copy while the decision is open. */
export async function queueNewCaseAnnouncement(tx: SqlExecutor, ctx: AppContext, record: CaseRecord): Promise<void> {
  const at = ctx.now();
  await enqueueMessage(
    tx,
    {
      dedupeKey: dedupeKeys.caseThread(record.id),
      caseId: record.id,
      kind: 'case_thread',
      recipient: 'partnership_channel',
      payload: { caseId: record.id },
      availableAt: at,
    },
    at,
  );
  if (record.stage !== 'dsp_decision') return;
  // Channel refresh is unreliable past 60 members, so each DSP also gets the card 1:1.
  for (const dsp of await holdersOf(tx, 'dsp')) {
    await enqueueMessage(
      tx,
      {
        dedupeKey: dedupeKeys.dspCopy(record.id, dsp.userId),
        caseId: record.id,
        kind: 'dsp_copy',
        recipient: dsp.userId,
        payload: { caseId: record.id, agency: dsp.scope },
        availableAt: at,
      },
      at,
    );
  }
}

/**
 * A change to a case: every card it has follows (coalesced: a burst of changes refreshes each card
 * once, with the latest state), and `note`, if given, is said in its thread. `what` makes the note's
 * key: the same change queued twice is one note.
 */
export async function queueCaseChange(
  tx: SqlExecutor,
  ctx: AppContext,
  caseId: string,
  note?: { what: string; text: string },
): Promise<void> {
  const at = ctx.now();
  if (note) {
    await enqueueMessage(
      tx,
      {
        dedupeKey: dedupeKeys.threadNote(caseId, note.what),
        caseId,
        kind: 'thread_note',
        recipient: 'partnership_channel',
        payload: { caseId, text: note.text },
        availableAt: at,
      },
      at,
    );
  }
  await enqueueCoalesced(
    tx,
    {
      dedupeKey: dedupeKeys.caseRefresh(caseId),
      caseId,
      kind: 'case_refresh',
      recipient: 'partnership_channel',
      payload: { caseId },
      availableAt: at,
    },
    at,
  );
}

/** What the thread says when the decision is made (or the partners disagree). Reference only: no child details. */
export function decisionNoteText(profile: Profile, record: CaseRecord, outcome: string): string {
  if (outcome === 'disagreed')
    return `${record.reference}: the partners disagree, so the case is escalated: ${profile.notificationDecision.onDisagreement.label}.`;
  const next = nextStageOf(profile, outcome);
  const learningBy = profile.roles.find((r) => r.id === profile.learningDecision.decidedBy)?.label ?? 'the learning group';
  const then =
    next === 'notification'
      ? `the ${record.localAuthority} Serious Incident Notifier has been asked to notify the national Panel.`
      : next === 'learning_review'
        ? `the case goes to the ${learningBy} for a learning decision.`
        : next === 'closed'
          ? "each partner's rationale is recorded for the reply to the referrer."
          : `the case moves to: ${profile.stages.find((s) => s.id === next)?.label ?? next}.`;
  return `${record.reference}: decision made: ${outcomeLabel(profile, outcome)}. Next, ${then}`;
}

/** The collective decision: said in the thread; to the Panel notification, the notifiers' 1:1 cards. */
export async function queueDecisionAnnouncement(tx: SqlExecutor, ctx: AppContext, record: CaseRecord, outcome: string): Promise<void> {
  await queueCaseChange(tx, ctx, record.id, { what: `decision:${outcome}`, text: decisionNoteText(ctx.profile, record, outcome) });
  if (outcome === 'disagreed' || !leadsToNotification(ctx.profile, outcome)) return;
  const at = ctx.now();
  for (const notifier of await holdersOf(tx, 'la_notifier', record.localAuthority)) {
    await enqueueMessage(
      tx,
      {
        dedupeKey: dedupeKeys.notifierCard(record.id, notifier.userId),
        caseId: record.id,
        kind: 'notifier_card',
        recipient: notifier.userId,
        payload: { caseId: record.id },
        availableAt: at,
      },
      at,
    );
  }
}

/** The full details, for a reader already authorised and audited, to go 1:1: the queue holds only ids. */
export async function queueDetailsCard(
  tx: SqlExecutor,
  ctx: AppContext,
  caseId: string,
  reader: { aadObjectId: string; teamsUserId: string },
  requestId: string,
): Promise<void> {
  const at = ctx.now();
  await enqueueMessage(
    tx,
    {
      dedupeKey: dedupeKeys.detailsCard(caseId, requestId),
      caseId,
      kind: 'details_card',
      recipient: reader.aadObjectId,
      payload: { caseId, teamsUserId: reader.teamsUserId },
      availableAt: at,
    },
    at,
  );
}
