import { type RoleAssignment, rolesOf } from '../../../adapters/store/roleAssignmentRepository.ts';
import type { AdaptiveCard } from '../../cards/cardTemplates.ts';
import { type CaseSnapshot, loadCaseSnapshot } from '../../cases/caseSnapshot.ts';
import type { Actor } from '../actor.ts';
import { caseCard, dspRecipients } from '../caseBroadcaster.ts';
import type { CardActionDeps } from './cardAction.ts';

/**
 * The agency this person votes for on this case, if they are a DSP. Someone holding more than one
 * agency's DSP role (a deputy covering an absence) sees the first agency still to vote, in the
 * profile's order, then the next after voting.
 */
function dspAgencyOf(deps: CardActionDeps, roles: readonly RoleAssignment[], votes: readonly { agency: string }[]): string | undefined {
  const held = roles.filter((r) => r.role === 'dsp').map((r) => r.scope);
  const mine = deps.ctx.profile.notificationDecision.deciders.filter((a) => held.includes(a));
  return mine.find((a) => !votes.some((v) => v.agency === a)) ?? mine[0];
}

/**
 * The case card as this person should see it: their own vote view if they are a DSP, else the shared
 * one. `known`: the case and the person's roles already in hand (a use case's, read in its own
 * transaction), so the answer is drawn from the case as that transaction left it, not read again.
 */
export async function caseViewFor(
  deps: CardActionDeps,
  actor: Actor,
  caseId: string,
  notice?: string,
  typedVote?: { decision: string; rationale: string },
  known?: { readonly snapshot: CaseSnapshot; readonly roles: readonly RoleAssignment[] },
): Promise<AdaptiveCard> {
  const snapshot = known?.snapshot ?? (await loadCaseSnapshot(deps.ctx, caseId));
  const roles = known?.roles ?? (await rolesOf(deps.ctx.db, actor.aadObjectId));
  const agency = dspAgencyOf(deps, roles, snapshot.votes);
  const dsps = await dspRecipients(deps);
  return caseCard(deps.ctx, snapshot, {
    ...(agency ? { viewerAgency: agency } : {}),
    ...(notice ? { notice } : {}),
    ...(typedVote ? { typedVote } : {}),
    refreshUserIds: dsps.map((d) => d.person.teamsUserId),
  });
}
