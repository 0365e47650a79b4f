import { findCase } from '../../adapters/store/caseRepository.ts';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { Referral } from '../../domain/referral/referralSchema.ts';
import { type AdaptiveCard, renderCard } from '../cards/cardTemplates.ts';
import { caseDetailsData } from '../cards/caseDetailsModel.ts';
import { NotFoundError } from '../errors.ts';
import type { BroadcastDeps } from './caseBroadcaster.ts';

/** The full details card (1:1 only), naming the role under which the reader may see it. */
export async function detailsCardFor(deps: BroadcastDeps, caseId: string, referral: Referral, readerId: string): Promise<AdaptiveCard> {
  const { ctx } = deps;
  const record = await findCase(ctx.db, caseId);
  if (!record) throw new NotFoundError('That case was not found.');
  const roles = await rolesOf(ctx.db, readerId);
  const role =
    ctx.profile.roles.find((r) => roles.some((a) => a.role === r.id && ctx.profile.fullDetailsRoles.includes(r.id)))?.label ??
    'an authorised role';
  return renderCard('caseDetails', caseDetailsData(record.reference, referral, role));
}
