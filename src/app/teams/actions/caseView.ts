import { rolesOf } from '../../../adapters/store/roleAssignmentRepository.ts';
import type { AdaptiveCard } from '../../cards/cardTemplates.ts';
import { loadCaseSnapshot } from '../../cases/caseSnapshot.ts';
import type { Actor } from '../actor.ts';
import { caseCard, dspRecipients } from '../caseBroadcaster.ts';
import type { CardActionDeps } from './cardAction.ts';

/**
 * The agency this person votes for on this case, if they are a DSP. Someone holding more than one
 * agency's DSP role (a deputy covering an absence) sees the first agency still to vote, in the
 * profile's order, then the next after voting.
 */
async function dspAgencyOf(deps: CardActionDeps, actor: Actor, votes: readonly { agency: string }[]): Promise<string | undefined> {
  const held = (await rolesOf(deps.ctx.db, actor.aadObjectId)).filter((r) => r.role === 'dsp').map((r) => r.scope);
  const mine = deps.ctx.profile.notificationDecision.deciders.filter((a) => held.includes(a));
  return mine.find((a) => !votes.some((v) => v.agency === a)) ?? mine[0];
}

/** The case card as this person should see it: their own vote view if they are a DSP, else the shared one. */
export async function caseViewFor(
  deps: CardActionDeps,
  actor: Actor,
  caseId: string,
  notice?: string,
  typedVote?: { decision: string; rationale: string },
): Promise<AdaptiveCard> {
  const snapshot = await loadCaseSnapshot(deps.ctx, caseId);
  const agency = await dspAgencyOf(deps, actor, snapshot.votes);
  const dsps = await dspRecipients(deps);
  return caseCard(deps.ctx, snapshot, {
    ...(agency ? { viewerAgency: agency } : {}),
    ...(notice ? { notice } : {}),
    ...(typedVote ? { typedVote } : {}),
    refreshUserIds: dsps.map((d) => d.person.teamsUserId),
  });
}
