import { z } from 'zod';

import { appendAudit } from '../../adapters/store/auditLog.ts';
import { listCaseEvents } from '../../adapters/store/caseEventRepository.ts';
import { lockCase, setCaseStage } from '../../adapters/store/caseRepository.ts';
import { rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import { isIsoDate } from '../../domain/calendar/isoDate.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import type { ClockView } from '../../domain/clocks/computeClocks.ts';
import { describeClock } from '../../domain/clocks/describeClock.ts';
import { currentAwareness } from '../../domain/referral/laAwareness.ts';
import { fullDate } from '../../domain/time/formatLondon.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import { freeText } from '../../domain/validation/freeText.ts';
import { problemsOf, ValidationError } from '../../domain/validation/validationError.ts';
import type { AppContext } from '../appContext.ts';
import { recordCaseEvent } from '../cases/recordCaseEvent.ts';
import { refreshClocks } from '../cases/refreshClocks.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { queueCaseChange } from '../teams/caseAnnouncements.ts';

const inputSchema = z
  .object({
    caseId: z.string().uuid('must be a case id'),
    notifiedOn: z.string({ error: 'is required' }).refine(isIsoDate, 'must be a date YYYY-MM-DD'),
    panelReference: freeText(100, "is required: the reference the Panel's system gave"),
  })
  .strict();

/**
 * Stage 1 of the review lifecycle: the child's local authority's notifier records that the national
 * Panel was notified, on which date and under which reference. That date starts the rapid review's 15
 * working days (the report to the Panel), stops the 5-working-day notification clock (on time if the
 * date is, whenever it is recorded), moves the case to the rapid review, and queues the profile's
 * meetings for it. Audited.
 */
export async function confirmNotification(
  ctx: AppContext,
  input: unknown,
  actorId: string,
): Promise<{ case: CaseRecord; clocks: ClockView[] }> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(problemsOf(parsed.error), 'notification');
  const { caseId, notifiedOn, panelReference } = parsed.data;
  const today = londonDateOf(ctx.now());
  if (notifiedOn > today) throw new ValidationError([{ field: 'notifiedOn', message: 'must not be in the future' }], 'notification');

  return ctx.db.transaction(async (tx) => {
    const record = await lockCase(tx, caseId);
    if (!record) throw new NotFoundError('That case was not found.');
    const roles = await rolesOf(tx, actorId);
    const allowed = roles.some((r) => (r.role === 'la_notifier' && r.scope === record.localAuthority) || r.role === 'business_manager');
    if (!allowed)
      throw new ForbiddenError(
        `only ${record.localAuthority}'s Serious Incident Notifier (or the business manager) can record the Panel notification for ${record.reference}`,
      );
    if (record.stage !== 'notification')
      throw new ConflictError(`the Panel notification for ${record.reference} is not awaited: it may already be recorded`);
    // The LA may notify as soon as it is aware (a strategy meeting, the CDOP: 002), before the referral
    // reached the partnership or the partners decided: any date from the awareness on is a real one.
    const awareOn = currentAwareness(await listCaseEvents(tx, caseId))?.awareOn ?? londonDateOf(record.receivedAt);
    if (notifiedOn < awareOn) {
      throw new ValidationError(
        [{ field: 'notifiedOn', message: `must not be before the local authority became aware of the incident (${fullDate(awareOn)})` }],
        'notification',
      );
    }
    const at = ctx.now();
    await recordCaseEvent(tx, ctx, caseId, { type: 'panel_notified', at, data: { notifiedOn, reference: panelReference }, actor: actorId });
    const next = ctx.profile.stages.some((s) => s.id === 'rapid_review') ? 'rapid_review' : record.stage;
    await setCaseStage(tx, caseId, next);
    await appendAudit(tx, {
      at,
      actor: actorId,
      action: 'panel_notified',
      caseId,
      details: { reference: record.reference, notifiedOn, panelReference },
    });
    const clocks = await refreshClocks(tx, ctx, caseId);
    const report = clocks.find((c) => c.clockId === 'rr_report_to_panel');
    await queueCaseChange(tx, ctx, caseId, {
      what: 'panel_notified',
      text: `${record.reference}: the national Panel was notified on ${fullDate(notifiedOn)}. The rapid review has started${report ? `: ${describeClock(report)}` : ''}.`,
    });
    return { case: { ...record, stage: next }, clocks };
  });
}
