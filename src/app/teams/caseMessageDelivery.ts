import { listCaseMessages, saveCaseMessage } from '../../adapters/store/caseMessageRepository.ts';
import { readReferralDetails } from '../../adapters/store/caseRepository.ts';
import type { OutboxKind } from '../../adapters/store/outboxRepository.ts';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import { cardHash } from '../cards/cardHash.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import { notifierCard } from '../lifecycle/notifierCard.ts';
import { refreshMeetingCards } from '../meetings/refreshMeetingCards.ts';
import type { DeliveryHandler } from '../outbox/deliveryHandler.ts';
import { caseCard, dspRecipients, ensureCaseThread, reachablePeople, refreshCaseMessages } from './caseBroadcaster.ts';
import { detailsCardFor } from './detailsCard.ts';

const text = (payload: Record<string, unknown>, key: string) => (typeof payload[key] === 'string' ? payload[key] : '');

/**
 * How the posts that follow a change to a case are delivered from the outbox. Each is drawn from the
 * case as it is when it goes, and a post that is no longer wanted (a DSP copy after the decision, a
 * notifier's card once the notification is recorded) is cancelled, not sent.
 */
export const caseMessageHandlers: Partial<Record<OutboxKind, DeliveryHandler>> = {
  async case_thread(d, message) {
    const caseId = text(message.payload, 'caseId');
    const had = (await listCaseMessages(d.ctx.db, caseId)).some((m) => m.purpose === 'channel_card');
    if (had) return { result: 'cancelled', reason: 'the case already has its thread' };
    await ensureCaseThread(d, d.channel, caseId);
    return { result: 'sent' };
  },

  async dsp_copy(d, message) {
    const caseId = text(message.payload, 'caseId');
    const snapshot = await loadCaseSnapshot(d.ctx, caseId);
    if (snapshot.record.stage !== 'dsp_decision') return { result: 'cancelled', reason: 'the decision was made before the copy went out' };
    if ((await listCaseMessages(d.ctx.db, caseId)).some((m) => m.purpose === 'dsp_copy' && m.recipient === message.recipient))
      return { result: 'cancelled', reason: 'already sent' };
    const dsps = await dspRecipients(d, d.channel);
    const mine = dsps.find((x) => x.person.aadObjectId === message.recipient);
    if (!mine) return { result: 'cancelled', reason: 'no longer a DSP, or not in the partnership team' };
    const card = caseCard(d.ctx, snapshot, { viewerAgency: mine.agency, refreshUserIds: dsps.map((x) => x.person.teamsUserId) });
    const copy = await d.gateway.sendPersonalCard(
      d.channel,
      mine.person.teamsUserId,
      card,
      `Your decision is needed on ${snapshot.record.reference}`,
    );
    await saveCaseMessage(d.ctx.db, {
      caseId,
      purpose: 'dsp_copy',
      recipient: message.recipient,
      ...copy,
      postedAt: d.ctx.now(),
      cardHash: cardHash(card),
    });
    return { result: 'sent' };
  },

  async thread_note(d, message) {
    const caseId = text(message.payload, 'caseId');
    const thread = await ensureCaseThread(d, d.channel, caseId);
    await d.gateway.replyInThread(d.channel, thread.conversationId, text(message.payload, 'text'));
    return { result: 'sent' };
  },

  async case_refresh(d, message) {
    await refreshCaseMessages(d, text(message.payload, 'caseId'));
    // The cards about the case's meetings follow it too (their step done, moved, cancelled).
    await refreshMeetingCards(d, text(message.payload, 'caseId'));
    return { result: 'sent' };
  },

  async notifier_card(d, message) {
    const caseId = text(message.payload, 'caseId');
    const snapshot = await loadCaseSnapshot(d.ctx, caseId);
    if (snapshot.record.stage !== 'notification')
      return { result: 'cancelled', reason: 'the Panel notification was recorded before the card went out' };
    if ((await listCaseMessages(d.ctx.db, caseId)).some((m) => m.purpose === 'notifier_card' && m.recipient === message.recipient))
      return { result: 'cancelled', reason: 'already sent' };
    const [person] = await reachablePeople(d, d.channel, [message.recipient]);
    if (!person) return { result: 'failed', error: 'the notifier is not in the partnership team' };
    const card = notifierCard(d.ctx, snapshot);
    const sent = await d.gateway.sendPersonalCard(
      d.channel,
      person.teamsUserId,
      card,
      `Please notify the national Panel: ${snapshot.record.reference}`,
    );
    await saveCaseMessage(d.ctx.db, {
      caseId,
      purpose: 'notifier_card',
      recipient: message.recipient,
      ...sent,
      postedAt: d.ctx.now(),
      cardHash: cardHash(card),
    });
    return { result: 'sent' };
  },

  async details_card(d, message) {
    const caseId = text(message.payload, 'caseId');
    // The role is checked again when the card goes: a role removed in between sends nothing.
    const roles = await rolesOf(d.ctx.db, message.recipient);
    if (!roles.some((r) => d.ctx.profile.fullDetailsRoles.includes(r.role)))
      return { result: 'cancelled', reason: 'the reader no longer holds a role that may see the details' };
    const referral = await readReferralDetails(d.ctx.db, caseId);
    if (!referral) return { result: 'cancelled', reason: 'the case has no details' };
    const card = await detailsCardFor(d, caseId, referral, message.recipient);
    const teamsUserId = text(message.payload, 'teamsUserId');
    await d.gateway.sendPersonalCard(d.channel, teamsUserId, card, 'Full details');
    return { result: 'sent' };
  },
};

/** The kinds above: what an action queued that the person who acted is waiting to see. */
export const CASE_POST_KINDS = Object.keys(caseMessageHandlers) as OutboxKind[];
