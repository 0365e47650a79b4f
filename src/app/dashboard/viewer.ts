import { type RoleAssignment, rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { AppContext } from '../appContext.ts';

/** Someone looking at the dashboard: their Entra object id and the partnership roles they hold. */
export interface Viewer {
  readonly oid: string;
  readonly name: string;
  readonly roles: readonly RoleAssignment[];
}

export async function viewerOf(ctx: AppContext, oid: string, name: string): Promise<Viewer> {
  return { oid, name, roles: await rolesOf(ctx.db, oid) };
}
