import { appendAudit } from '../../adapters/store/auditLog.ts';
import { listDeputies, replaceDeputies } from '../../adapters/store/deputyRepository.ts';
import { listRoleAssignments, replaceRoleHolders } from '../../adapters/store/roleAssignmentRepository.ts';
import { deputyKey } from '../../domain/people/dspDeputy.ts';
import { parsePeopleConfig } from '../../domain/people/peopleConfig.ts';
import type { AppContext } from '../appContext.ts';

/**
 * Makes the role assignments match PEOPLE_FILE at start-up. Audited only when something changed, so
 * a restart does not add noise to the log.
 */
export async function applyPeopleConfig(ctx: AppContext, json: unknown): Promise<boolean> {
  const { roles, assignments, deputies } = parsePeopleConfig(json, ctx.profile);
  const key = (a: { role: string; scope: string; userId: string }) => `${a.role}/${a.scope}/${a.userId}`;
  return ctx.db.transaction(async (tx) => {
    // The deputy DSPs (#15 item 11) are the file's too: compared, replaced and audited with the roles.
    const before = [
      ...(await listRoleAssignments(tx)).filter((a) => roles.includes(a.role)).map(key),
      ...(await listDeputies(tx)).map(deputyKey),
    ].sort();
    const after = [...assignments.map(key), ...deputies.map(deputyKey)].sort();
    if (before.join('\n') === after.join('\n')) return false;
    await replaceDeputies(tx, deputies);
    for (const role of roles)
      await replaceRoleHolders(
        tx,
        role,
        assignments.filter((a) => a.role === role),
      );
    await appendAudit(tx, {
      at: ctx.now(),
      actor: 'system:people-file',
      action: 'roles_changed',
      caseId: null,
      details: { before, after },
    });
    return true;
  });
}
