import type { Referral } from '../../domain/referral/referralSchema.ts';
import type { AppContext } from '../appContext.ts';
import { readCaseDetails } from '../cases/readCaseDetails.ts';
import { NotFoundError } from '../errors.ts';
import type { Viewer } from './viewer.ts';
import { maySeeCaseId } from './visibleCases.ts';

/**
 * A case's full referral from the dashboard: first, whether the viewer may see the case at all (if not,
 * it is "not found", as a case that does not exist, and nothing is audited since nothing was read);
 * then the profile's full-details roles and the audited read, as everywhere else.
 */
export async function readDashboardCaseDetails(ctx: AppContext, caseId: string, viewer: Viewer): Promise<Referral> {
  if (!(await maySeeCaseId(ctx, viewer, caseId))) throw new NotFoundError('That case was not found.');
  return readCaseDetails(ctx, caseId, viewer.oid);
}
