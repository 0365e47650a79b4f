import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { ragOf, type Rag } from '../../domain/dashboard/rag.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';
import type { AppContext } from '../appContext.ts';

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
 * The dashboard's case list: reference, initials, stage, the next clock with its RAG and its owner.
 * One query for the cases and one for their running clocks, however many cases there are.
 */
export async function listDashboardCases(ctx: AppContext, filter: CaseListFilter = {}, db: SqlExecutor = ctx.db): Promise<CaseListRow[]> {
  const now = ctx.now();
  const { rows: cases } = await db.query<{ id: string; reference: string; initials: string; profile_id: string; stage: string; closed: boolean }>(
    `SELECT c.id, c.reference, c.summary->>'initials' AS initials, c.profile_id, c.stage,
            (c.closed_at IS NOT NULL OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'case_closed')) AS closed
       FROM cases c ORDER BY c.received_at DESC`);
  const { rows: clocks } = await db.query<{ case_id: string; clock_id: string; item: string; state: string; owner: string; due_date: string; due_at: Date; due_soon_at: Date | null; completed_at: Date | null }>(
    `SELECT case_id, clock_id, item, state, owner, due_date::text AS due_date, due_at, due_soon_at, completed_at FROM clocks
      WHERE state IN ('pending', 'due_soon', 'overdue') AND due_at IS NOT NULL ORDER BY due_at`);
  const short = new Map(ctx.profile.clocks.map((c) => [c.id, c.short ?? c.label]));
  const list = cases.map((c): CaseListRow => {
    const first = clocks.find((k) => k.case_id === c.id);
    const rag = first && ragOf({ completedAt: first.completed_at, dueAt: first.due_at, dueSoonAt: first.due_soon_at, state: first.state }, now);
    return {
      id: c.id, reference: c.reference, initials: c.initials, profileId: c.profile_id, stage: c.stage, closed: c.closed,
      stageLabel: ctx.profile.stages.find((s) => s.id === c.stage)?.label ?? c.stage,
      ...(first && rag ? { next: { clock: `${short.get(first.clock_id) ?? first.clock_id}${first.item ? ` ${first.item}` : ''}`, dueDate: first.due_date, rag, owner: roleLabel(ctx.profile, first.owner) } } : {}),
    };
  });
  return list.filter((c) => (filter.open === undefined || c.closed !== filter.open)
    && (!filter.overdue || c.next?.rag === 'red')
    && (!filter.stage || c.stage === filter.stage)
    && (!filter.profile || c.profileId === filter.profile));
}
