import { holdersOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';

/**
 * Who an alert about a clock goes to, by Entra object id: the holders of each role named, scoped to
 * the case's local authority for notifiers. For the DSP decision, DSPs who have already voted have
 * acted, so they are not chased.
 */
export async function alertRecipients(
  tx: SqlExecutor,
  profile: Profile,
  roles: readonly string[],
  target: { caseId: string; clockId: string; localAuthority: string },
): Promise<string[]> {
  const people = new Set<string>();
  for (const role of roles) {
    const kind = profile.roles.find((r) => r.id === role)?.kind;
    const holders = await holdersOf(tx, role, kind === 'per_local_authority' ? target.localAuthority : undefined);
    let chosen = holders;
    if (role === 'dsp' && target.clockId === 'dsp_decision') {
      const { rows } = await tx.query<{ agency: string }>('SELECT agency FROM votes WHERE case_id = $1', [target.caseId]);
      chosen = holders.filter((h) => !rows.some((v) => v.agency === h.scope));
    }
    for (const h of chosen) people.add(h.userId);
  }
  return [...people];
}
