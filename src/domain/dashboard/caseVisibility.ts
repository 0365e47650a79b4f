import { nextStageOf } from '../decisions/decisionRoute.ts';
import type { RoleHeld } from '../lifecycle/lifecycleStep.ts';
import type { Profile } from '../profiles/profileSchema.ts';
import type { CaseAccess } from './caseAccess.ts';

/** What the dashboard asks of a case to decide who may see it: recorded facts, nothing about the child. */
export interface CaseVisibilityFacts {
  /** The referral type (a learning request is on the learning route from the start). */
  readonly type: string;
  readonly stage: string;
  /** The child's local authority (one of the profile's). */
  readonly localAuthority: string;
  /** Profile agencies sent an information request on the case (agencies reached only by email have none). */
  readonly agenciesAsked: readonly string[];
  /** Profile agencies owning one of the case's action-plan items. */
  readonly actionOwners: readonly string[];
  /** Every notification decision's outcome (a dispute's resolution is recorded as a later one). */
  readonly decisionOutcomes: readonly string[];
  /** Whether the Engine Room (or learning group) recorded its learning decision. */
  readonly learningDecided: boolean;
}

/**
 * Stages a case reaches only on its way to the Panel notification and the rapid review, or the
 * reviews after it. Action plans are left out: learning reviews end in them too.
 */
const RAPID_REVIEW_STAGES = ['notification', 'rapid_review', 'governance', 'panel_submission', 'panel_response', 'lcspr', 'publication'];

/**
 * Which of the two routes a case is on. Worked from its decisions as well as its stage, so a closed
 * case stays visible to those who worked on it (and its audit trail with it).
 */
export function routesOf(profile: Profile, facts: CaseVisibilityFacts): { rapidReview: boolean; learning: boolean } {
  const decidedTo = facts.decisionOutcomes.map((outcome) => nextStageOf(profile, outcome));
  return {
    rapidReview: RAPID_REVIEW_STAGES.includes(facts.stage) || decidedTo.some((s) => s === 'notification' || s === 'rapid_review'),
    learning:
      facts.type === 'learning_request' ||
      facts.stage === 'learning_review' ||
      facts.learningDecided ||
      decidedTo.includes('learning_review'),
  };
}

/** What the profile lets a role's holders see; none for a role it does not list. */
export function accessOf(profile: Profile, role: string): readonly CaseAccess[] {
  return profile.dashboardAccess.find((a) => a.role === role)?.sees ?? [];
}

function grants(access: CaseAccess, scope: string, profile: Profile, facts: CaseVisibilityFacts): boolean {
  switch (access) {
    case 'all':
      return true;
    // An unscoped assignment of a scoped role (scope '') names no local authority or agency: nothing.
    case 'own_local_authority':
      return scope !== '' && scope === facts.localAuthority;
    case 'information_requested':
      return scope !== '' && facts.agenciesAsked.includes(scope);
    case 'owns_action':
      return scope !== '' && facts.actionOwners.includes(scope);
    case 'rapid_review_route':
      return routesOf(profile, facts).rapidReview;
    case 'learning_route':
      return routesOf(profile, facts).learning;
  }
}

/** Whether someone holding these roles may see this case in the dashboard: any one role that shows it is enough. */
export function maySeeCase(held: readonly RoleHeld[], profile: Profile, facts: CaseVisibilityFacts): boolean {
  return held.some((h) => accessOf(profile, h.role).some((access) => grants(access, h.scope, profile, facts)));
}

/** Whether these roles show every case, so no case's facts need be read. */
export function seesEveryCase(held: readonly RoleHeld[], profile: Profile): boolean {
  return held.some((h) => accessOf(profile, h.role).includes('all'));
}
