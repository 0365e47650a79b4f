import { listDeputies } from '../../../adapters/store/deputyRepository.ts';
import { type RoleAssignment, type RoleHolder, rolesOf } from '../../../adapters/store/roleAssignmentRepository.ts';
import { londonDateOf } from '../../../domain/time/londonTime.ts';
import type { AdaptiveCard } from '../../cards/cardTemplates.ts';
import { type CaseSnapshot, loadCaseSnapshot } from '../../cases/caseSnapshot.ts';
import type { Actor } from '../actor.ts';
import { caseCard, dspRecipients, dspRecipientsOf } from '../caseBroadcaster.ts';
import type { CardActionDeps } from './cardAction.ts';

/**
 * The agency this person votes for on this case, if they are a DSP. Someone holding more than one
 * agency's DSP role (a deputy covering an absence) sees the first agency still to vote, in the
 * profile's order, then the next after voting.
 */
function dspAgencyOf(deps: CardActionDeps, held: readonly string[], votes: readonly { agency: string }[]): string | undefined {
  const mine = deps.ctx.profile.notificationDecision.deciders.filter((a) => held.includes(a));
  return mine.find((a) => !votes.some((v) => v.agency === a)) ?? mine[0];
}

const dspAgencies = (roles: readonly RoleAssignment[]) => roles.filter((r) => r.role === 'dsp').map((r) => r.scope);

/** The agencies this person acts for as a deputy DSP today (London date, both ends inclusive). */
async function actingDeputyAgencies(deps: CardActionDeps, userId: string): Promise<string[]> {
  const today = londonDateOf(deps.ctx.now());
  return (await listDeputies(deps.ctx.db))
    .filter((d) => d.userId === userId && d.actsFrom <= today && today <= d.actsUntil)
    .map((d) => d.agency);
}

/**
 * The case card as this person should see it: their own vote view if they are a DSP, else the shared
 * one. `known`: the case and the DSPs already in hand (a use case's, read in its own transaction), so
 * the answer is drawn from the case as that transaction left it, and nothing is read again.
 */
export async function caseViewFor(
  deps: CardActionDeps,
  actor: Actor,
  caseId: string,
  notice?: string,
  typedVote?: { decision: string; rationale: string },
  known?: { readonly snapshot: CaseSnapshot; readonly dsps: readonly RoleHolder[] },
): Promise<AdaptiveCard> {
  const snapshot = known?.snapshot ?? (await loadCaseSnapshot(deps.ctx, caseId));
  // Only the DSP roles matter here: which agency's view this person gets.
  const roles = known
    ? known.dsps.filter((d) => d.holder.userId === actor.aadObjectId).map((d) => d.holder)
    : await rolesOf(deps.ctx.db, actor.aadObjectId);
  let agency = dspAgencyOf(deps, dspAgencies(roles), snapshot.votes);
  // A deputy DSP on their acting dates gets the agency's vote view too (#15 item 11): read only for
  // someone who is no agency's DSP, so a DSP's view costs nothing more.
  if (!agency) agency = dspAgencyOf(deps, await actingDeputyAgencies(deps, actor.aadObjectId), snapshot.votes);
  const dsps = known ? await dspRecipientsOf(deps, known.dsps) : await dspRecipients(deps);
  return caseCard(deps.ctx, snapshot, {
    ...(agency ? { viewerAgency: agency } : {}),
    ...(notice ? { notice } : {}),
    ...(typedVote ? { typedVote } : {}),
    refreshUserIds: dsps.map((d) => d.person.teamsUserId),
  });
}
