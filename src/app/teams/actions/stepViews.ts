import { rolesOf } from '../../../adapters/store/roleAssignmentRepository.ts';
import type { RoleHeld } from '../../../domain/lifecycle/lifecycleStep.ts';
import type { AdaptiveCard } from '../../cards/cardTemplates.ts';
import { type CaseSnapshot, loadCaseSnapshot } from '../../cases/caseSnapshot.ts';
import { caseStateOf } from '../../lifecycle/caseState.ts';
import { infoRequestCard, stepsCard } from '../../lifecycle/stepCards.ts';
import type { Actor } from '../actor.ts';
import type { CardActionDeps } from './cardAction.ts';

/**
 * The review lifecycle in Teams: "Record a step" on the case card lists what this person can record
 * now (case.steps); each step opens its form (case.stepForm); recording it (case.step) answers the
 * clicker at once, then says what happened in the case's thread and updates the case card for
 * everyone. An agency's safeguarding lead answers their information request from the 1:1 card it came on.
 */

export type StepNotice = { text: string; style: 'good' | 'attention' };

/** The case and the roles this person holds, which decide the steps they can record. */
export async function stepView(deps: CardActionDeps, caseId: string, actor: Actor): Promise<{ snapshot: CaseSnapshot; held: RoleHeld[] }> {
  const snapshot = await loadCaseSnapshot(deps.ctx, caseId);
  const held = (await rolesOf(deps.ctx.db, actor.aadObjectId)).map((r) => ({ role: r.role, scope: r.scope }));
  return { snapshot, held };
}

/** The steps list; while the Panel notification is awaited its notifier (or the business manager) can open the notifier's form from it. */
export function stepsView(deps: CardActionDeps, snapshot: CaseSnapshot, held: RoleHeld[], notice?: StepNotice): AdaptiveCard {
  const { record } = snapshot;
  const notifier = held.some((h) => (h.role === 'la_notifier' && h.scope === record.localAuthority) || h.role === 'business_manager');
  // The notifier's form comes first: while the Panel notification is awaited it is what the case waits for.
  const first = record.stage === 'notification' && notifier ? [{ id: 'panel_notified', title: 'Record the Panel notification' }] : [];
  return stepsCard(record, caseStateOf(deps.ctx, record, snapshot.events), held, notice, first);
}

/** The information request card again, as its lead sees it after answering. */
export function infoView(deps: CardActionDeps, snapshot: CaseSnapshot, itemId: string, notice: StepNotice): AdaptiveCard | undefined {
  const request = snapshot.events.filter((e) => e.type === 'info_request_sent' && e.data?.itemId === itemId).at(-1);
  if (!request) return undefined;
  const returned = snapshot.events.find((e) => e.type === 'info_return_recorded' && e.data?.itemId === itemId);
  return infoRequestCard(snapshot.record, deps.ctx.profile, request, returned, notice);
}
