import { appendAudit } from '../../adapters/store/auditLog.ts';
import { listCaseEvents } from '../../adapters/store/caseEventRepository.ts';
import { lockCase, setCaseStage } from '../../adapters/store/caseRepository.ts';
import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import { holdersOf, rolesOf } from '../../adapters/store/roleAssignmentRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import type { CaseRecord } from '../../domain/case/caseRecord.ts';
import type { ClockView } from '../../domain/clocks/computeClocks.ts';
import { planStep } from '../../domain/lifecycle/lifecycleCatalogue.ts';
import type { LifecycleStep, PlannedEvent, StepEffect, StepPlan } from '../../domain/lifecycle/lifecycleStep.ts';
import { londonInstant } from '../../domain/time/londonTime.ts';
import { ValidationError } from '../../domain/validation/validationError.ts';
import type { AppContext } from '../appContext.ts';
import { queueDecisionMessages } from '../cases/decisionMessages.ts';
import { recordCaseEvent } from '../cases/recordCaseEvent.ts';
import { refreshClocks } from '../cases/refreshClocks.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';
import { queueCaseChange } from '../teams/caseAnnouncements.ts';
import { reopenDecision } from '../votes/reopenDecision.ts';
import { caseStateOf } from './caseState.ts';

export interface RecordedStep {
  readonly case: CaseRecord;
  readonly step: LifecycleStep;
  readonly plan: StepPlan;
  readonly clocks: ClockView[];
  /** Things the thread should say beyond the note (an agency with no lead in Teams). */
  readonly warnings: string[];
}

/** When a planned event happened: now if on today (or undated), else midday London on its date. */
function instantOf(event: PlannedEvent, now: Date, today: string): Date {
  return !event.on || event.on === today ? now : londonInstant(event.on, '12:00');
}

/** Queues a step's messages in its transaction, so they go if and only if the record is kept. */
async function queueEffects(
  tx: SqlExecutor,
  ctx: AppContext,
  record: CaseRecord,
  effects: readonly StepEffect[],
  at: Date,
  actorId: string,
): Promise<string[]> {
  const caseId = record.id;
  const warnings: string[] = [];
  for (const effect of effects) {
    if (effect.kind === 'info_request_card') {
      const leads = await holdersOf(tx, 'agency_leads', effect.agency);
      if (leads.length === 0)
        warnings.push(
          `no safeguarding lead is set up for ${ctx.profile.agencies.find((a) => a.id === effect.agency)?.label ?? effect.agency}: send their request another way and record the return here`,
        );
      for (const lead of leads) {
        await enqueueMessage(
          tx,
          {
            dedupeKey: dedupeKeys.infoRequestCard(caseId, effect.itemId, lead.userId),
            caseId,
            kind: 'info_request',
            recipient: lead.userId,
            payload: { caseId, itemId: effect.itemId },
            availableAt: at,
          },
          at,
        );
      }
    } else if (effect.kind === 'info_request_email') {
      await enqueueMessage(
        tx,
        {
          dedupeKey: dedupeKeys.infoRequestEmail(caseId, effect.itemId),
          caseId,
          kind: 'case_email',
          recipient: effect.email,
          payload: { caseId, template: 'info_request', itemId: effect.itemId },
          availableAt: at,
        },
        at,
      );
    } else if (effect.kind === 'decision_messages') {
      await queueDecisionMessages(tx, ctx, record, effect.outcome, at);
    } else if (effect.kind === 'reopen_decision') {
      await reopenDecision(tx, record, actorId, at);
    } else {
      await enqueueMessage(
        tx,
        {
          dedupeKey: dedupeKeys.learningEmail(caseId),
          caseId,
          kind: 'case_email',
          recipient: 'referrer',
          payload: { caseId, template: 'learning' },
          availableAt: at,
        },
        at,
      );
    }
  }
  return warnings;
}

/**
 * Records one lifecycle step on a case, all or nothing: the case is locked, the step's rules decide
 * (open now? this person's role? good input?), then its events (which queue the profile's meetings),
 * the stage, the audit entry, its messages and the recomputed clocks are written in one transaction.
 */
export async function recordStep(
  ctx: AppContext,
  input: { caseId: string; step: string; values: Readonly<Record<string, unknown>> },
  actorId: string,
): Promise<RecordedStep> {
  return ctx.db.transaction(async (tx) => {
    const record = await lockCase(tx, input.caseId);
    if (!record) throw new NotFoundError('That case was not found.');
    const state = caseStateOf(ctx, record, await listCaseEvents(tx, record.id));
    const held = (await rolesOf(tx, actorId)).map((r) => ({ role: r.role, scope: r.scope }));
    const outcome = planStep(state, input.step, input.values, held);
    switch (outcome.kind) {
      case 'unknown':
        throw new NotFoundError('That step is not one this partnership records.');
      case 'not_now':
        throw new ConflictError(
          `"${outcome.step.title}" is not open on ${record.reference} now: it may already have been recorded, or the case has moved on`,
        );
      case 'forbidden':
        throw new ForbiddenError(`your role cannot record "${outcome.step.title}" on ${record.reference}`);
      case 'invalid':
        throw new ValidationError(outcome.problems, outcome.step.title);
      default:
        break;
    }
    const { plan, step, values } = outcome;
    const now = ctx.now();
    for (const event of plan.events) {
      await recordCaseEvent(tx, ctx, record.id, {
        type: event.type,
        at: instantOf(event, now, state.today),
        ...(event.data ? { data: event.data } : {}),
        actor: actorId,
      });
    }
    const stage = plan.stage ?? record.stage;
    if (stage !== record.stage) await setCaseStage(tx, record.id, stage, stage === 'closed' ? now : null);
    const warnings = await queueEffects(tx, ctx, record, plan.effects ?? [], now, actorId);
    const clocks = await refreshClocks(tx, ctx, record.id);
    // The thread says what was recorded (a repeatable step, such as a checkpoint, each time).
    await queueCaseChange(tx, ctx, record.id, {
      what: `step:${step.id}:${ctx.newId()}`,
      text: [`${record.reference}: ${plan.note}.`, ...warnings.map((w) => `Note: ${w}.`)].join(' '),
    });
    // Last: the audit append takes the lock all cases share (the chain's head), held only to commit.
    await appendAudit(tx, {
      at: now,
      actor: actorId,
      action: `step:${step.id}`,
      caseId: record.id,
      details: { reference: record.reference, values, fromStage: record.stage, toStage: stage },
    });
    return { case: { ...record, stage }, step, plan, clocks, warnings };
  });
}
