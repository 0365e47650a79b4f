import type { Logger } from '../../adapters/log/logger.ts';
import { type CaseMessage, listCaseMessages, recordCardShown, saveCaseMessage } from '../../adapters/store/caseMessageRepository.ts';
import { lockCase } from '../../adapters/store/caseRepository.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import { findPeople, knownNames, type Person, rememberPerson } from '../../adapters/store/peopleRepository.ts';
import { holdersWithPeople, type RoleHolder } from '../../adapters/store/roleAssignmentRepository.ts';
import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import { fullDate, londonDateTime } from '../../domain/time/formatLondon.ts';
import type { AppContext } from '../appContext.ts';
import { cardHash } from '../cards/cardHash.ts';
import { type AdaptiveCard, renderCard } from '../cards/cardTemplates.ts';
import { caseCardData } from '../cards/caseCardModel.ts';
import { type CaseSnapshot, loadCaseSnapshot, loadCaseSnapshotIn, snapshotState } from '../cases/caseSnapshot.ts';
import { alertCard, findAlert } from '../deadlines/alertView.ts';
import { NotFoundError } from '../errors.ts';
import { notifierCard } from '../lifecycle/notifierCard.ts';
import { infoRequestCard, nextStepsText } from '../lifecycle/stepCards.ts';
import type { TeamsGateway } from './teamsGateway.ts';

export interface BroadcastDeps {
  readonly ctx: AppContext;
  readonly gateway: TeamsGateway;
  readonly logger: Logger;
}

/**
 * People by Entra object id, with the Teams ids the bot needs to reach them. Anyone the bot has not
 * met yet is looked up in the team roster (one paged read), and remembered.
 */
export async function reachablePeople(
  deps: BroadcastDeps,
  channel: PartnershipChannel | undefined,
  aadObjectIds: readonly string[],
): Promise<Person[]> {
  let people = await findPeople(deps.ctx.db, aadObjectIds);
  if (channel && people.length < new Set(aadObjectIds).size) {
    for (const m of await deps.gateway.teamRoster(channel)) {
      await rememberPerson(
        deps.ctx.db,
        {
          aadObjectId: m.aadObjectId,
          teamsUserId: m.teamsUserId,
          displayName: m.name,
          tenantId: m.tenantId ?? null,
          email: m.email ?? null,
        },
        deps.ctx.now(),
      );
    }
    people = await findPeople(deps.ctx.db, aadObjectIds);
  }
  const missing = aadObjectIds.filter((id) => !people.some((p) => p.aadObjectId === id));
  if (missing.length > 0)
    deps.logger.warn({ count: missing.length }, 'some configured people are not in the partnership team, so the bot cannot reach them');
  return people;
}

/** The DSPs as people the bot can reach: agency, Entra id, and Teams id. */
export async function dspRecipients(deps: BroadcastDeps, channel?: PartnershipChannel): Promise<{ agency: string; person: Person }[]> {
  return dspRecipientsOf(deps, await holdersWithPeople(deps.ctx.db, 'dsp'), channel);
}

/**
 * The same from the DSPs already read with the people they are (one read, or a use case's own):
 * the roster is looked up only when someone is not known yet.
 */
export async function dspRecipientsOf(
  deps: BroadcastDeps,
  dsps: readonly RoleHolder[],
  channel?: PartnershipChannel,
): Promise<{ agency: string; person: Person }[]> {
  const known = dsps.every((d) => d.person)
    ? dsps.flatMap((d) => (d.person ? [d.person] : []))
    : await reachablePeople(
        deps,
        channel,
        dsps.map((d) => d.holder.userId),
      );
  return dsps.flatMap(({ holder }) => {
    const person = known.find((p) => p.aadObjectId === holder.userId);
    return person ? [{ agency: holder.scope, person }] : [];
  });
}

/**
 * The case card: the shared view everyone sees, or a DSP's own view (their vote, changeable until the
 * decision closes). While the decision is open the card asks the DSPs' Teams clients to fetch their
 * own view (refresh.userIds, at most 60); once it closes the list empties and everyone sees the same.
 */
export function caseCard(
  ctx: AppContext,
  snapshot: CaseSnapshot,
  options: {
    viewerAgency?: string;
    notice?: string;
    refreshUserIds?: readonly string[];
    typedVote?: { decision: string; rationale: string };
  } = {},
): AdaptiveCard {
  const card = renderCard(
    'caseCard',
    caseCardData({
      profile: ctx.profile,
      ...snapshot,
      nextText: nextStepsText(snapshotState(ctx, snapshot)),
      ...(options.viewerAgency ? { viewerAgency: options.viewerAgency } : {}),
      ...(options.notice ? { notice: options.notice } : {}),
      ...(options.typedVote ? { typedVote: options.typedVote } : {}),
    }),
  );
  const open = snapshot.record.stage === 'dsp_decision';
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', title: 'Refresh', verb: 'case.refresh', data: { caseId: snapshot.record.id } },
      userIds: open ? (options.refreshUserIds ?? []).slice(0, 60) : [],
    },
  };
}

async function channelOrWarn(deps: BroadcastDeps, reference: string): Promise<PartnershipChannel | undefined> {
  const channel = await findPartnershipChannel(deps.ctx.db);
  if (!channel) deps.logger.warn({ reference }, 'no partnership channel: the bot is not installed in a team, so nothing was posted');
  return channel;
}

/**
 * The case's one thread: the one it has, or a new one with the shared card. One by construction: the
 * thread is started under the case's row lock, after looking again, so the announcement, a booking
 * and an alert reaching for it at once (on any instance) find the same thread. Before, two of them
 * racing started two threads, one left "Waiting" with live buttons.
 */
export async function ensureCaseThread(deps: BroadcastDeps, channel: PartnershipChannel, caseId: string): Promise<CaseMessage> {
  const existing = (await listCaseMessages(deps.ctx.db, caseId)).find((m) => m.purpose === 'channel_card');
  if (existing) return existing;
  const dsps = await dspRecipients(deps, channel);
  // The slot for the new post is taken now, outside the lock (see TeamsGateway.beforeThreadStart);
  // if another sender started the thread meanwhile, it goes unused.
  await deps.gateway.beforeThreadStart?.(channel);
  return deps.ctx.db.transaction(async (tx) => {
    const record = await lockCase(tx, caseId);
    if (!record) throw new NotFoundError('That case was not found.');
    const found = (await listCaseMessages(tx, caseId)).find((m) => m.purpose === 'channel_card');
    if (found) return found;
    const snapshot = await loadCaseSnapshotIn(tx, deps.ctx, caseId);
    const card = caseCard(deps.ctx, snapshot, { refreshUserIds: dsps.map((d) => d.person.teamsUserId) });
    const thread = await deps.gateway.startChannelThread(channel, card, `New case ${record.reference}`);
    const message: CaseMessage = {
      caseId,
      purpose: 'channel_card',
      recipient: '',
      ...thread,
      postedAt: deps.ctx.now(),
      cardHash: cardHash(card),
    };
    await saveCaseMessage(tx, message);
    return message;
  });
}

/** Says something in the case's thread (starting the thread if the case has none yet). */
export async function sayInCaseThread(
  deps: BroadcastDeps,
  channel: PartnershipChannel | undefined,
  caseId: string,
  text: string,
): Promise<void> {
  if (!channel) return;
  const thread = await ensureCaseThread(deps, channel, caseId);
  await deps.gateway.replyInThread(channel, thread.conversationId, text);
}

/** Who recorded the Panel notification, and when: what the notifiers' cards say once it is done. */
async function notificationDoneText(deps: BroadcastDeps, snapshot: CaseSnapshot): Promise<string | undefined> {
  const event = snapshot.events.filter((e) => e.type === 'panel_notified').at(-1);
  if (!event) return undefined;
  const by = (await knownNames(deps.ctx.db)).get(event.actor) ?? 'a partnership colleague';
  const notifiedOn = typeof event.data?.notifiedOn === 'string' ? fullDate(event.data.notifiedOn) : 'the recorded date';
  return `Done: ${by} recorded on ${londonDateTime(event.recordedAt)} that the national Panel was notified on ${notifiedOn}. Nothing more is needed from you here.`;
}

/**
 * Every card the case has, redrawn from the case as it is now, so no card asks for what is done: the
 * channel card; each DSP's copy (their own vote view while the decision is open and they still hold
 * the role, the shared card otherwise); the notifiers' cards (no form once the notification is
 * recorded, saying by whom and when); the information-request cards (no buttons once returned); the
 * alert cards (no buttons once acknowledged or once the clock stops). A card whose content has not
 * changed since it was last shown is not updated again (a burst of changes costs Teams nothing extra).
 */
export async function refreshCaseMessages(deps: BroadcastDeps, caseId: string): Promise<void> {
  const snapshot = await loadCaseSnapshot(deps.ctx, caseId);
  const channel = await channelOrWarn(deps, snapshot.record.reference);
  if (!channel) return;
  const dsps = await dspRecipients(deps, channel);
  const refreshUserIds = dsps.map((d) => d.person.teamsUserId);
  const open = snapshot.record.stage === 'dsp_decision';
  const views = new Map<string, AdaptiveCard>();
  /** Each distinct view is drawn once, however many cards show it. */
  const view = (key: string, draw: () => AdaptiveCard) => views.get(key) ?? views.set(key, draw()).get(key)!;
  const shared = () => view('shared', () => caseCard(deps.ctx, snapshot, { refreshUserIds }));
  for (const message of await listCaseMessages(deps.ctx.db, caseId)) {
    let card: AdaptiveCard | undefined;
    if (message.purpose === 'channel_card') card = shared();
    else if (message.purpose === 'dsp_copy') {
      const agency = open ? dsps.find((d) => d.person.aadObjectId === message.recipient)?.agency : undefined;
      card = agency ? view(`dsp:${agency}`, () => caseCard(deps.ctx, snapshot, { viewerAgency: agency, refreshUserIds })) : shared();
    } else if (message.purpose === 'notifier_card') {
      const done = views.has('notifier') ? undefined : await notificationDoneText(deps, snapshot);
      card = view('notifier', () => notifierCard(deps.ctx, snapshot, done ? { notice: done } : {}));
    } else if (message.purpose === 'info_request') {
      const itemId = message.recipient.split('|')[1] ?? '';
      const request = snapshot.events.filter((e) => e.type === 'info_request_sent' && e.data?.itemId === itemId).at(-1);
      const returned = snapshot.events.find((e) => e.type === 'info_return_recorded' && e.data?.itemId === itemId);
      if (request) card = view(`info:${itemId}`, () => infoRequestCard(snapshot.record, deps.ctx.profile, request, returned));
    } else if (message.purpose === 'alert') {
      const alert = await findAlert(deps.ctx.db, message.recipient);
      if (alert) card = alertCard(deps.ctx.profile, alert);
    }
    if (!card) continue;
    const hash = cardHash(card);
    if (hash === message.cardHash) continue;
    await deps.gateway.updateCard(channel, message, card);
    await recordCardShown(deps.ctx.db, message, hash);
  }
}
