import { appendAudit } from '../../adapters/store/auditLog.ts';
import { findCase, readReferralDetails } from '../../adapters/store/caseRepository.ts';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { Referral } from '../../domain/referral/referralSchema.ts';
import type { AppContext } from '../appContext.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';

/**
 * The full referral, for a reader whose role the profile allows (`fullDetailsRoles`). Every read is
 * written to the audit log in the same transaction, so no one sees a child's details unrecorded.
 */
export async function readCaseDetails(
  ctx: AppContext,
  caseId: string,
  readerId: string,
  alsoInTransaction?: (tx: SqlExecutor) => Promise<void>,
): Promise<Referral> {
  return ctx.db.transaction(async (tx) => {
    const record = await findCase(tx, caseId);
    if (!record) throw new NotFoundError(`case ${caseId} not found`);
    const roles = await rolesOf(tx, readerId);
    const allowedBy = roles.find((r) => ctx.profile.fullDetailsRoles.includes(r.role));
    if (!allowedBy) throw new ForbiddenError(`full details of ${record.reference} are not available to your role`);
    const referral = await readReferralDetails(tx, record.id);
    if (!referral) throw new NotFoundError(`details of ${record.reference} not found`);
    await appendAudit(tx, {
      at: ctx.now(),
      actor: readerId,
      action: 'details_viewed',
      caseId: record.id,
      details: { reference: record.reference, role: allowedBy.role },
    });
    // What the read sets going (the details card queued for a 1:1 chat) is written with its audit entry.
    await alsoInTransaction?.(tx);
    return referral;
  });
}
