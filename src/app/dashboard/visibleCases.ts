import { listCaseVisibilityFacts } from '../../adapters/store/caseVisibilityFactsRepository.ts';
import type { CaseIdFilter } from '../../adapters/store/dashboardRepository.ts';
import { maySeeCase, seesEveryCase } from '../../domain/dashboard/caseVisibility.ts';
import { isUuid } from '../../domain/validation/uuid.ts';
import type { AppContext } from '../appContext.ts';
import type { Viewer } from './viewer.ts';

/**
 * The cases a viewer may see in the dashboard, by the profile's `dashboardAccess`: undefined when their
 * roles show every case (so nothing need be read to filter), else the ids of those they may see.
 */
export async function visibleCaseIds(ctx: AppContext, viewer: Viewer): Promise<CaseIdFilter> {
  if (seesEveryCase(viewer.roles, ctx.profile)) return undefined;
  return (await listCaseVisibilityFacts(ctx.db)).filter((facts) => maySeeCase(viewer.roles, ctx.profile, facts)).map((facts) => facts.id);
}

/** Whether the viewer may see this one case. A case that does not exist is simply not visible: callers answer both alike. */
export async function maySeeCaseId(ctx: AppContext, viewer: Viewer, caseId: string): Promise<boolean> {
  if (seesEveryCase(viewer.roles, ctx.profile)) return true;
  if (!isUuid(caseId)) return false;
  const [facts] = await listCaseVisibilityFacts(ctx.db, caseId);
  return facts !== undefined && maySeeCase(viewer.roles, ctx.profile, facts);
}
