import { dashboardCaseRows, runningClocks } from '../../adapters/store/dashboardRepository.ts';
import { type Rag, ragOf } from '../../domain/dashboard/rag.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
import type { AppContext } from '../appContext.ts';
import type { Viewer } from './viewer.ts';
import { visibleCaseIds } from './visibleCases.ts';

export interface CaseListRow {
  readonly id: string;
  readonly reference: string;
  readonly initials: string;
  readonly profileId: string;
  readonly stage: string;
  readonly stageLabel: string;
  readonly closed: boolean;
  /** The running clock due first, if any. */
  readonly next?: { readonly clock: string; readonly dueDate: string; readonly rag: Rag; readonly owner: string };
}

export interface CaseListFilter {
  readonly open?: boolean;
  readonly overdue?: boolean;
  readonly stage?: string;
  readonly profile?: string;
}

const roleLabel = (profile: Profile, role: string) => profile.roles.find((r) => r.id === role)?.label ?? role;

/**
 * The dashboard's case list: reference, initials, stage, the next clock with its RAG and its owner, of
 * the cases the viewer may see (the profile's `dashboardAccess`). One query for the cases and one for
 * their running clocks, however many cases there are.
 */
export async function listDashboardCases(ctx: AppContext, viewer: Viewer, filter: CaseListFilter = {}): Promise<CaseListRow[]> {
  const now = ctx.now();
  const visible = await visibleCaseIds(ctx, viewer);
  const [cases, clocks] = await Promise.all([dashboardCaseRows(ctx.db, visible), runningClocks(ctx.db, visible)]);
  const short = new Map(ctx.profile.clocks.map((c) => [c.id, c.short ?? c.label]));
  const list = cases.map((c): CaseListRow => {
    const first = clocks.find((k) => k.case_id === c.id);
    const rag =
      first && ragOf({ completedAt: first.completed_at, dueAt: first.due_at, dueSoonAt: first.due_soon_at, state: first.state }, now);
    return {
      id: c.id,
      reference: c.reference,
      initials: c.initials,
      profileId: c.profile_id,
      stage: c.stage,
      closed: c.closed,
      stageLabel: ctx.profile.stages.find((s) => s.id === c.stage)?.label ?? c.stage,
      ...(first && rag
        ? {
            next: {
              clock: `${short.get(first.clock_id) ?? first.clock_id}${first.item ? ` ${first.item}` : ''}`,
              dueDate: first.due_date,
              rag,
              owner: roleLabel(ctx.profile, first.owner),
            },
          }
        : {}),
    };
  });
  return list.filter(
    (c) =>
      (filter.open === undefined || c.closed !== filter.open) &&
      (!filter.overdue || c.next?.rag === 'red') &&
      (!filter.stage || c.stage === filter.stage) &&
      (!filter.profile || c.profileId === filter.profile),
  );
}
