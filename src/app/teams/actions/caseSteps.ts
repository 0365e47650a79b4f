import { z } from 'zod';

import { cardAction, recordId } from './cardAction.ts';
import { stepsView, stepView } from './stepViews.ts';

/** "Record a step" on the case card: the steps this person can record now. */
export const caseSteps = cardAction({
  verb: 'case.steps',
  data: z.looseObject({ caseId: recordId }),
  async handle({ caseId }, actor, deps) {
    const { snapshot, held } = await stepView(deps, caseId, actor);
    return stepsView(deps, snapshot, held);
  },
});
