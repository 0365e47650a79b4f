import { z } from 'zod';

import { cardAction, recordId } from './cardAction.ts';
import { caseViewFor } from './caseView.ts';

/** The case card's refresh (Teams asks for it on the DSPs' behalf while the decision is open), and "Refresh". */
export const caseRefresh = cardAction({
  verb: 'case.refresh',
  data: z.looseObject({ caseId: recordId }),
  handle: (data, actor, deps) => caseViewFor(deps, actor, data.caseId),
});
