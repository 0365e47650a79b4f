import { listCaseMessages, saveCaseMessage } from '../../adapters/store/caseMessageRepository.ts';
import { findPartnershipChannel, type PartnershipChannel } from '../../adapters/store/installationRepository.ts';
import { findPeople, rememberPerson, type Person } from '../../adapters/store/peopleRepository.ts';
import { holdersOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { Logger } from '../../adapters/log/logger.ts';
import type { AppContext } from '../appContext.ts';
import { renderCard, type AdaptiveCard } from '../cards/cardTemplates.ts';
import { caseCardData, outcomeLabel } from '../cards/caseCardModel.ts';
import { loadCaseSnapshot, type CaseSnapshot } from '../cases/caseSnapshot.ts';
import { caseStateOf } from '../lifecycle/caseState.ts';
import { notifierCard } from '../lifecycle/notifierCard.ts';
import { nextStepsText } from '../lifecycle/stepCards.ts';
import type { TeamsGateway } from './teamsGateway.ts';
import { leadsToNotification, nextStageOf } from '../../domain/decisions/decisionRoute.ts';

export interface BroadcastDeps {
  readonly ctx: AppContext;
  readonly gateway: TeamsGateway;
  readonly logger: Logger;
}

/**
 * People by Entra object id, with the Teams ids the bot needs to reach them. Anyone the bot has not
 * met yet is looked up in the team roster (one paged read), and remembered.
 */
export async function reachablePeople(deps: BroadcastDeps, channel: PartnershipChannel | undefined, aadObjectIds: readonly string[]): Promise<Person[]> {
  let people = await findPeople(deps.ctx.db, aadObjectIds);
  if (channel && people.length < new Set(aadObjectIds).size) {
    for (const m of await deps.gateway.teamRoster(channel)) {
      await rememberPerson(deps.ctx.db, { aadObjectId: m.aadObjectId, teamsUserId: m.teamsUserId, displayName: m.name, tenantId: m.tenantId ?? null, email: m.email ?? null }, deps.ctx.now());
    }
    people = await findPeople(deps.ctx.db, aadObjectIds);
  }
  const missing = aadObjectIds.filter((id) => !people.some((p) => p.aadObjectId === id));
  if (missing.length > 0) deps.logger.warn({ count: missing.length }, 'some configured people are not in the partnership team, so the bot cannot reach them');
  return people;
}

/** The DSPs as people the bot can reach: agency, Entra id, and Teams id. */
export async function dspRecipients(deps: BroadcastDeps, channel?: PartnershipChannel): Promise<{ agency: string; person: Person }[]> {
  const dsps = await holdersOf(deps.ctx.db, 'dsp');
  const people = await reachablePeople(deps, channel, dsps.map((d) => d.userId));
  return dsps.flatMap((d) => {
    const person = people.find((p) => p.aadObjectId === d.userId);
    return person ? [{ agency: d.scope, person }] : [];
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
  options: { viewerAgency?: string; notice?: string; refreshUserIds?: readonly string[]; typedVote?: { decision: string; rationale: string } } = {},
): AdaptiveCard {
  const card = renderCard('caseCard', caseCardData({
    profile: ctx.profile, ...snapshot,
    nextText: nextStepsText(caseStateOf(ctx, snapshot.record, snapshot.events)),
    ...(options.viewerAgency ? { viewerAgency: options.viewerAgency } : {}),
    ...(options.notice ? { notice: options.notice } : {}),
    ...(options.typedVote ? { typedVote: options.typedVote } : {}),
  }));
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

/** Starts the case's thread in the channel with the shared card, and remembers it. */
async function startCaseThread(deps: BroadcastDeps, channel: PartnershipChannel, snapshot: CaseSnapshot, dsps: { person: Person }[]) {
  const { record } = snapshot;
  const thread = await deps.gateway.startChannelThread(channel, caseCard(deps.ctx, snapshot, { refreshUserIds: dsps.map((d) => d.person.teamsUserId) }), `New case ${record.reference}`);
  await saveCaseMessage(deps.ctx.db, { caseId: record.id, purpose: 'channel_card', recipient: '', ...thread, postedAt: deps.ctx.now() });
  return thread;
}

/** The case's thread: the one it has, or a new one with the shared card (a case opened outside Teams). */
export async function ensureCaseThread(deps: BroadcastDeps, channel: PartnershipChannel, caseId: string) {
  const existing = (await listCaseMessages(deps.ctx.db, caseId)).find((m) => m.purpose === 'channel_card');
  return existing ?? startCaseThread(deps, channel, await loadCaseSnapshot(deps.ctx, caseId), []);
}

/** Says something in the case's thread (starting the thread if the case has none yet). */
export async function sayInCaseThread(deps: BroadcastDeps, channel: PartnershipChannel | undefined, caseId: string, text: string): Promise<void> {
  if (!channel) return;
  const thread = await ensureCaseThread(deps, channel, caseId);
  await deps.gateway.replyInThread(channel, thread.conversationId, text);
}

/** A new case: start its thread in the partnership channel and send each DSP a 1:1 copy to vote on. */
export async function announceNewCase(deps: BroadcastDeps, caseId: string): Promise<void> {
  const snapshot = await loadCaseSnapshot(deps.ctx, caseId);
  const { record } = snapshot;
  const channel = await channelOrWarn(deps, record.reference);
  if (!channel) return;
  const dsps = await dspRecipients(deps, channel);
  await startCaseThread(deps, channel, snapshot, dsps);
  if (record.stage !== 'dsp_decision') return;
  // Channel refresh is unreliable past 60 members, so each DSP also gets the card 1:1.
  for (const { agency, person } of dsps) {
    const copy = await deps.gateway.sendPersonalCard(channel, person.teamsUserId, caseCard(deps.ctx, snapshot, { viewerAgency: agency, refreshUserIds: dsps.map((d) => d.person.teamsUserId) }), `Your decision is needed on ${record.reference}`);
    await saveCaseMessage(deps.ctx.db, { caseId, purpose: 'dsp_copy', recipient: person.aadObjectId, ...copy, postedAt: deps.ctx.now() });
  }
}

/** After a vote: everyone's shared card and each DSP's 1:1 copy show the new tally. */
export async function refreshCaseMessages(deps: BroadcastDeps, caseId: string): Promise<void> {
  const snapshot = await loadCaseSnapshot(deps.ctx, caseId);
  const channel = await channelOrWarn(deps, snapshot.record.reference);
  if (!channel) return;
  const dsps = await dspRecipients(deps, channel);
  for (const message of await listCaseMessages(deps.ctx.db, caseId)) {
    if (message.purpose === 'channel_card') {
      await deps.gateway.updateCard(channel, message, caseCard(deps.ctx, snapshot, { refreshUserIds: dsps.map((d) => d.person.teamsUserId) }));
    } else if (message.purpose === 'dsp_copy') {
      const agency = dsps.find((d) => d.person.aadObjectId === message.recipient)?.agency;
      if (agency) await deps.gateway.updateCard(channel, message, caseCard(deps.ctx, snapshot, { viewerAgency: agency, refreshUserIds: dsps.map((d) => d.person.teamsUserId) }));
    }
  }
}

/** The collective decision: said in the case's thread, and the notifier told when the Panel must be notified. */
export async function announceDecision(deps: BroadcastDeps, caseId: string, outcome: string): Promise<void> {
  const snapshot = await loadCaseSnapshot(deps.ctx, caseId);
  const { record } = snapshot;
  const channel = await channelOrWarn(deps, record.reference);
  if (!channel) return;
  // A case opened outside a Teams turn (or whose first post failed) gets its thread now, so the
  // decision is never announced into nothing.
  const thread = await ensureCaseThread(deps, channel, caseId);
  const profile = deps.ctx.profile;
  const next = nextStageOf(profile, outcome);
  const learningBy = profile.roles.find((r) => r.id === profile.learningDecision.decidedBy)?.label ?? 'the learning group';
  const then = next === 'notification' ? `the ${record.localAuthority} Serious Incident Notifier has been asked to notify the national Panel.`
    : next === 'learning_review' ? `the case goes to the ${learningBy} for a learning decision.`
    : next === 'closed' ? "each partner's rationale is recorded for the reply to the referrer."
    : `the case moves to: ${profile.stages.find((s) => s.id === next)?.label ?? next}.`;
  const text = outcome === 'disagreed'
    ? `${record.reference}: the partners disagree, so the case is escalated: ${profile.notificationDecision.onDisagreement.label}.`
    : `${record.reference}: decision made: ${outcomeLabel(profile, outcome)}. Next, ${then}`;
  await deps.gateway.replyInThread(channel, thread.conversationId, text);

  if (leadsToNotification(profile, outcome)) {
    const notifiers = await holdersOf(deps.ctx.db, 'la_notifier', record.localAuthority);
    const people = await reachablePeople(deps, channel, notifiers.map((n) => n.userId));
    const card = notifierCard(deps.ctx, snapshot);
    if (people.length === 0) deps.logger.warn({ reference: record.reference, localAuthority: record.localAuthority }, 'no notifier configured or reachable for this local authority');
    for (const person of people) {
      const sent = await deps.gateway.sendPersonalCard(channel, person.teamsUserId, card, `Please notify the national Panel: ${record.reference}`);
      await saveCaseMessage(deps.ctx.db, { caseId, purpose: 'notifier_card', recipient: person.aadObjectId, ...sent, postedAt: deps.ctx.now() });
    }
  }
}
