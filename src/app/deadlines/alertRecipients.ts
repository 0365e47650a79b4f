import { agencyOfItem } from '../../adapters/store/caseEventRepository.ts';
import { holdersOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { votedAgencies } from '../../adapters/store/voteRepository.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';

/**
 * Who an alert about a clock goes to, by Entra object id: the holders of each role named, scoped to
 * the case's local authority for notifiers, and for a per-item clock (an agency's information return,
 * an action) to the agency the item belongs to: the police's late return chases the police's lead, and
 * Darlington's escalation goes to the Head of Service of the agency that owns the action. For the DSP
 * decision, DSPs who have already voted have acted, so they are not chased.
 */
export async function alertRecipients(
  tx: SqlExecutor,
  profile: Profile,
  roles: readonly string[],
  target: { caseId: string; clockId: string; localAuthority: string; item?: string },
): Promise<string[]> {
  const people = new Set<string>();
  const itemAgency = target.item ? await agencyOfItem(tx, target.caseId, target.item) : undefined;
  for (const role of roles) {
    const kind = profile.roles.find((r) => r.id === role)?.kind;
    // An agency outside the partnership's Teams (asked by email) has no lead to alert: the business
    // manager, who sent the request, chases it.
    if (itemAgency === '' && kind === 'per_agency' && role !== 'dsp') {
      for (const h of await holdersOf(tx, 'business_manager')) people.add(h.userId);
      continue;
    }
    // An item whose agency is unknown (recorded before items carried one) alerts every holder: too many rather than none.
    const scope = kind === 'per_local_authority' ? target.localAuthority : kind === 'per_agency' && role !== 'dsp' ? itemAgency : undefined;
    const holders = await holdersOf(tx, role, scope);
    let chosen = holders;
    if (role === 'dsp' && target.clockId === 'dsp_decision') {
      const voted = await votedAgencies(tx, target.caseId);
      chosen = holders.filter((h) => !voted.includes(h.scope));
    }
    for (const h of chosen) people.add(h.userId);
  }
  return [...people];
}
