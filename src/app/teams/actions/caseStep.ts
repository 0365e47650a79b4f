import { z } from 'zod';

import { findStep } from '../../../domain/lifecycle/lifecycleCatalogue.ts';
import type { AdaptiveCard } from '../../cards/cardTemplates.ts';
import { caseStateOf } from '../../lifecycle/caseState.ts';
import { recordStep } from '../../lifecycle/recordStep.ts';
import { stepFormCard } from '../../lifecycle/stepCards.ts';
import type { Actor } from '../actor.ts';
import { cardAction, type CardActionDeps, recordId } from './cardAction.ts';
import { infoView, type StepNotice, stepsView, stepView } from './stepViews.ts';

/**
 * The step's own fields are the catalogue's to check (recordStep names each one at fault), so they
 * pass through as they came; `from: 'infoRequest'` marks a lead's answer from their information-request card.
 */
const stepData = z.looseObject({
  caseId: recordId,
  step: z.string().optional(),
  from: z.string().optional(),
  itemId: z.string().optional(),
});
type StepData = z.output<typeof stepData>;

/** What the clicker sees after a step (or its refusal): their information-request card if they came from one, else the steps list. */
async function answer(deps: CardActionDeps, data: StepData, actor: Actor, notice: StepNotice): Promise<AdaptiveCard> {
  const { snapshot, held } = await stepView(deps, data.caseId, actor);
  return (
    (data.from === 'infoRequest' ? infoView(deps, snapshot, data.itemId ?? '', notice) : undefined) ??
    stepsView(deps, snapshot, held, notice)
  );
}

/** A step's form submitted: recorded all or nothing, with the thread note and the cards' refresh queued with it. */
export const caseStep = cardAction({
  verb: 'case.step',
  data: stepData,

  async handle(data, actor, deps, turn) {
    const result = await recordStep(deps.ctx, { caseId: data.caseId, step: data.step ?? '', values: data }, actor.aadObjectId);
    // The thread note, the cards' refresh and (for a dispute resolved) the decision's messages were queued with the step.
    turn.committed({ queued: true });
    return answer(deps, data, actor, {
      text: `Recorded: ${result.plan.note}.${result.warnings.map((w) => ` Note: ${w}.`).join('')}`,
      style: 'good',
    });
  },

  // Bad fields: the step's form again, as typed, with each problem named (from an information-request
  // card, that card again, saying why). Not open, or not this role's: the list, saying why.
  async refusal(error, data, actor, deps) {
    const step = findStep(data.step ?? '');
    if (error.code === 'invalid_input' && data.from !== 'infoRequest' && step) {
      const { snapshot } = await stepView(deps, data.caseId, actor);
      return stepFormCard(snapshot.record, caseStateOf(deps.ctx, snapshot.record, snapshot.events), step, {
        values: data,
        problems: error.problems,
      });
    }
    if (error.code === 'not_found') return undefined;
    const why = error.code === 'invalid_input' ? error.problems.map((p) => `${p.field}: ${p.message}`).join('; ') : error.message;
    return answer(deps, data, actor, { text: `Not recorded: ${why}.`, style: 'attention' });
  },
});
