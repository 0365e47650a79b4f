import { listDeputies } from '../../adapters/store/deputyRepository.ts';
import type { RoleHolder } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import { type NamedPerson, whoMayVote } from '../../domain/votes/whoMayVote.ts';
import type { AppContext } from '../appContext.ts';
import { agencyLabel } from '../cards/caseCardModel.ts';
import { ForbiddenError } from '../errors.ts';

/** What a vote records of who cast it: nothing more for the DSP; for a deputy, who voted and in whose place. */
export interface VoterRecord {
  readonly votedBy?: NamedPerson;
  readonly inPlaceOf?: NamedPerson;
}

/**
 * May `voterId` cast `agency`'s vote today (#15 item 11)? The agency's DSP may; so may a deputy DSP on a
 * London day inside their acting dates. The deputies are read only for someone who is not the DSP, so
 * a DSP's vote costs no statement more. Refused: a ForbiddenError the vote's card shows.
 */
export async function checkVoter(
  tx: SqlExecutor,
  ctx: AppContext,
  v: { agency: string; voterId: string; dsps: readonly RoleHolder[]; reference: string },
): Promise<VoterRecord> {
  const dsps = v.dsps
    .filter((d) => d.holder.scope === v.agency)
    .map((d) => ({ id: d.holder.userId, name: d.person?.displayName ?? d.holder.displayName ?? d.holder.userId }));
  const isDsp = dsps.some((d) => d.id === v.voterId);
  const check = whoMayVote({
    agency: v.agency,
    agencyLabel: agencyLabel(ctx.profile, v.agency),
    voterId: v.voterId,
    dsps,
    deputies: isDsp ? [] : await listDeputies(tx, v.agency),
    today: londonDateOf(ctx.now()),
  });
  switch (check.kind) {
    case 'dsp':
      return {};
    case 'deputy':
      return { votedBy: check.votedBy, ...(check.inPlaceOf ? { inPlaceOf: check.inPlaceOf } : {}) };
    case 'not_a_voter':
      throw new ForbiddenError(`only the ${v.agency.replace(/_/g, ' ')} DSP can vote for that agency on ${v.reference}`);
    case 'outside_dates':
      throw new ForbiddenError(`${check.reason}, so you cannot vote for ${agencyLabel(ctx.profile, v.agency)} on ${v.reference}`);
  }
}
