import { listCaseMessages, recordCardShown, saveCaseMessage } from '../../adapters/store/caseMessageRepository.ts';
import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import { cardHash } from '../cards/cardHash.ts';
import type { DeliveryContext } from '../outbox/deliveryHandler.ts';
import { type BroadcastDeps, ensureCaseThread } from '../teams/caseBroadcaster.ts';
import { meetingCardKey, type MeetingCardRef } from './meetingCardKey.ts';
import { loadMeetingView } from './meetingView.ts';

/**
 * Posts a card about a meeting in the case's thread, drawn from the record, and remembers it
 * (case_messages, purpose `meeting`) so that it follows the case like the case's other cards.
 */
export async function postMeetingCard(
  deps: BroadcastDeps,
  channel: PartnershipChannel,
  caseId: string,
  ref: MeetingCardRef,
  summary: string,
): Promise<void> {
  const recipient = meetingCardKey(ref);
  const card = (await loadMeetingView(deps.ctx, caseId)).draw(recipient);
  if (!card) return;
  const thread = await ensureCaseThread(deps, channel, caseId);
  const posted = await deps.gateway.replyCardInThread(channel, thread.conversationId, card, summary);
  await saveCaseMessage(deps.ctx.db, {
    caseId,
    purpose: 'meeting',
    recipient,
    ...posted,
    postedAt: deps.ctx.now(),
    cardHash: cardHash(card),
  });
}

/**
 * The case's meeting cards, redrawn as part of its coalesced refresh (the outbox's `case_refresh`):
 * once the step a meeting serves is done, or anyone moves or cancels it or closes its poll, each card
 * about it says what happened, by whom and when, and keeps no button that asks for what is done (a
 * DSP who follows a stale "Rebook" would move a call that is no longer needed). A card that would
 * show what it already shows is not updated again. Costs one statement for a case with no meeting card.
 */
export async function refreshMeetingCards(deps: DeliveryContext, caseId: string): Promise<void> {
  const messages = (await listCaseMessages(deps.ctx.db, caseId)).filter((m) => m.purpose === 'meeting');
  if (messages.length === 0) return;
  const view = await loadMeetingView(deps.ctx, caseId);
  for (const message of messages) {
    const card = view.draw(message.recipient);
    if (!card) continue;
    const hash = cardHash(card);
    if (hash === message.cardHash) continue;
    await deps.gateway.updateCard(deps.channel, message, card);
    await recordCardShown(deps.ctx.db, message, hash);
  }
}
