import { z } from 'zod';

import { findStep, holdsStepRole } from '../../../domain/lifecycle/lifecycleCatalogue.ts';
import { caseStateOf } from '../../lifecycle/caseState.ts';
import { notifierCard } from '../../lifecycle/notifierCard.ts';
import { stepFormCard } from '../../lifecycle/stepCards.ts';
import { cardAction, inputText, recordId } from './cardAction.ts';
import { stepsView, stepView } from './stepViews.ts';

/** One step's form, if the step is open now and this person's role records it; else the steps list, saying why not. */
export const caseStepForm = cardAction({
  verb: 'case.stepForm',
  data: z.looseObject({ caseId: recordId, step: inputText }),
  async handle({ caseId, step: stepId }, actor, deps) {
    const { snapshot, held } = await stepView(deps, caseId, actor);
    if (stepId === 'panel_notified') return notifierCard(deps.ctx, snapshot);
    const state = caseStateOf(deps.ctx, snapshot.record, snapshot.events);
    const step = findStep(stepId);
    if (!step) return stepsView(deps, snapshot, held, { text: 'That step is not one this partnership records.', style: 'attention' });
    if (!step.available(state))
      return stepsView(deps, snapshot, held, {
        text: `"${step.title}" is not open now: it may already have been recorded.`,
        style: 'attention',
      });
    if (!holdsStepRole(step, held, state))
      return stepsView(deps, snapshot, held, { text: `Your role cannot record "${step.title}".`, style: 'attention' });
    return stepFormCard(snapshot.record, state, step);
  },
});
