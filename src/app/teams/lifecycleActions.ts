import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import { findStep, holdsStepRole } from '../../domain/lifecycle/lifecycleCatalogue.ts';
import type { RoleHeld } from '../../domain/lifecycle/lifecycleStep.ts';
import { ValidationError } from '../../domain/validation/validationError.ts';
import type { AdaptiveCard } from '../cards/cardTemplates.ts';
import { loadCaseSnapshot, type CaseSnapshot } from '../cases/caseSnapshot.ts';
import { ConflictError, ForbiddenError } from '../errors.ts';
import { caseStateOf } from '../lifecycle/caseState.ts';
import { notifierCard } from '../lifecycle/notifierCard.ts';
import { recordStep } from '../lifecycle/recordStep.ts';
import { infoRequestCard, stepFormCard, stepsCard } from '../lifecycle/stepCards.ts';
import type { Actor } from './actor.ts';
import type { ActionResult, CardActionDeps } from './cardActions.ts';

type Notice = { text: string; style: 'good' | 'attention' };

function dataString(data: Record<string, unknown>, key: string): string {
  const v = data[key];
  return typeof v === 'string' ? v : '';
}

/**
 * The review lifecycle in Teams: "Record a step" on the case card lists what this person can record
 * now; each step opens its form; recording it answers the clicker at once, then says what happened in
 * the case's thread and updates the case card for everyone. An agency's safeguarding lead answers
 * their information request from the 1:1 card it came on.
 */
export function lifecycleActions(deps: CardActionDeps) {
  const { ctx } = deps;

  async function view(caseId: string, actor: Actor): Promise<{ snapshot: CaseSnapshot; held: RoleHeld[] }> {
    const snapshot = await loadCaseSnapshot(ctx, caseId);
    const held = (await rolesOf(ctx.db, actor.aadObjectId)).map((r) => ({ role: r.role, scope: r.scope }));
    return { snapshot, held };
  }

  /** The steps list; while the Panel notification is awaited its notifier (or the business manager) can open the notifier's form from it. */
  function stepsView(snapshot: CaseSnapshot, held: RoleHeld[], notice?: Notice): AdaptiveCard {
    const { record } = snapshot;
    const notifier = held.some((h) => (h.role === 'la_notifier' && h.scope === record.localAuthority) || h.role === 'business_manager');
    const card = stepsCard(record, caseStateOf(ctx, record, snapshot.events), held, notice);
    if (record.stage !== 'notification' || !notifier) return card;
    const body = card.body as unknown[];
    return { ...card, body: [...body, { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Record the Panel notification', verb: 'case.stepForm', data: { caseId: record.id, step: 'panel_notified' } }] }] };
  }

  /** The information request card again, as its lead sees it after answering. */
  function infoView(snapshot: CaseSnapshot, itemId: string, notice: Notice): AdaptiveCard | undefined {
    const request = snapshot.events.filter((e) => e.type === 'info_request_sent' && e.data?.itemId === itemId).at(-1);
    if (!request) return undefined;
    const returned = snapshot.events.find((e) => e.type === 'info_return_recorded' && e.data?.itemId === itemId);
    return infoRequestCard(snapshot.record, ctx.profile, request, returned, notice);
  }

  const handlers = {
    'case.steps': async (data: Record<string, unknown>, actor: Actor): Promise<ActionResult> => {
      const { snapshot, held } = await view(dataString(data, 'caseId'), actor);
      return { card: stepsView(snapshot, held) };
    },

    'case.stepForm': async (data: Record<string, unknown>, actor: Actor): Promise<ActionResult> => {
      const { snapshot, held } = await view(dataString(data, 'caseId'), actor);
      const stepId = dataString(data, 'step');
      if (stepId === 'panel_notified') return { card: notifierCard(ctx, snapshot) };
      const state = caseStateOf(ctx, snapshot.record, snapshot.events);
      const step = findStep(stepId);
      if (!step) return { card: stepsView(snapshot, held, { text: 'That step is not one this partnership records.', style: 'attention' }) };
      if (!step.available(state)) return { card: stepsView(snapshot, held, { text: `"${step.title}" is not open now: it may already have been recorded.`, style: 'attention' }) };
      if (!holdsStepRole(step, held, state)) return { card: stepsView(snapshot, held, { text: `Your role cannot record "${step.title}".`, style: 'attention' }) };
      return { card: stepFormCard(snapshot.record, state, step) };
    },

    'case.step': async (data: Record<string, unknown>, actor: Actor): Promise<ActionResult> => {
      const caseId = dataString(data, 'caseId');
      const stepId = dataString(data, 'step');
      const fromInfoCard = dataString(data, 'from') === 'infoRequest';
      const answer = async (notice: Notice): Promise<AdaptiveCard> => {
        const { snapshot, held } = await view(caseId, actor);
        return (fromInfoCard ? infoView(snapshot, dataString(data, 'itemId'), notice) : undefined) ?? stepsView(snapshot, held, notice);
      };
      try {
        const result = await recordStep(ctx, { caseId, step: stepId, values: data }, actor.aadObjectId);
        // The thread note, the cards' refresh and (for a dispute resolved) the decision's messages
        // were queued with the step.
        return {
          card: await answer({ text: `Recorded: ${result.plan.note}.${result.warnings.map((w) => ` Note: ${w}.`).join('')}`, style: 'good' }),
          queued: true,
        };
      } catch (error) {
        if (error instanceof ValidationError && !fromInfoCard) {
          const { snapshot } = await view(caseId, actor);
          const step = findStep(stepId)!;
          return { card: stepFormCard(snapshot.record, caseStateOf(ctx, snapshot.record, snapshot.events), step, { values: data, problems: error.problems }) };
        }
        if (error instanceof ValidationError || error instanceof ForbiddenError || error instanceof ConflictError) {
          const why = error instanceof ValidationError ? error.problems.map((p) => `${p.field}: ${p.message}`).join('; ') : error.message;
          return { card: await answer({ text: `Not recorded: ${why}.`, style: 'attention' }) };
        }
        throw error;
      }
    },
  };
  return handlers;
}
