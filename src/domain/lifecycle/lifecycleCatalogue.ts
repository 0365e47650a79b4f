import type { FieldProblem } from '../validation/validationError.ts';
import { actionPlanSteps } from './actionPlanSteps.ts';
import { awarenessCorrection } from './awarenessCorrection.ts';
import { complaintSteps } from './complaintSteps.ts';
import { followUpSteps } from './followUpSteps.ts';
import { lcsprSteps } from './lcsprSteps.ts';
import { learningApprovalSteps } from './learningApprovalSteps.ts';
import type { CaseState, LifecycleStep, RoleHeld, StepPlan } from './lifecycleStep.ts';
import { lookedAfterSteps } from './lookedAfterSteps.ts';
import { publicationSteps } from './publicationSteps.ts';
import { rapidReviewSteps } from './rapidReviewSteps.ts';
import { referrerQueriesSteps } from './referrerQueriesSteps.ts';
import { readStepValues, type StepValues } from './stepFields.ts';
import { submissionSteps } from './submissionSteps.ts';

/** Every lifecycle step, in the order a case meets them (the order cards list them in). */
export const LIFECYCLE_STEPS: readonly LifecycleStep[] = [
  ...referrerQueriesSteps,
  ...lookedAfterSteps,
  ...followUpSteps,
  ...learningApprovalSteps,
  ...rapidReviewSteps,
  ...submissionSteps,
  ...lcsprSteps,
  ...publicationSteps,
  ...actionPlanSteps,
  ...complaintSteps,
  awarenessCorrection,
];

export function findStep(id: string): LifecycleStep | undefined {
  return LIFECYCLE_STEPS.find((s) => s.id === id);
}

/** Whether someone holding these roles may take this step at all (before looking at what they entered). */
export function holdsStepRole(step: LifecycleStep, held: readonly RoleHeld[], state: CaseState): boolean {
  if (step.mayRecord && step.roles.length === 0) return step.mayRecord(held, {}, state);
  return held.some((h) => step.roles.includes(h.role) && (h.role !== 'la_notifier' || h.scope === state.localAuthority));
}

/** The steps that can be taken on the case now (by anyone): what the case card says comes next. */
export function availableSteps(state: CaseState): LifecycleStep[] {
  return LIFECYCLE_STEPS.filter((s) => s.available(state));
}

/** The steps this person can take now. */
export function stepsFor(state: CaseState, held: readonly RoleHeld[]): LifecycleStep[] {
  return availableSteps(state).filter((s) => holdsStepRole(s, held, state));
}

export type StepOutcome =
  | { readonly kind: 'planned'; readonly step: LifecycleStep; readonly values: StepValues; readonly plan: StepPlan }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'not_now'; readonly step: LifecycleStep }
  | { readonly kind: 'forbidden'; readonly step: LifecycleStep }
  | { readonly kind: 'invalid'; readonly step: LifecycleStep; readonly problems: readonly FieldProblem[] };

/**
 * Decides what recording a step means, or why it cannot be recorded: unknown step, not open at this
 * stage (someone else may have recorded it first), not this person's role, or bad input (every
 * problem named). Nothing is written here; the app writes a planned step in one transaction.
 */
export function planStep(
  state: CaseState,
  stepId: string,
  input: Readonly<Record<string, unknown>>,
  held: readonly RoleHeld[],
): StepOutcome {
  const step = findStep(stepId);
  if (!step) return { kind: 'unknown' };
  if (!step.available(state)) return { kind: 'not_now', step };
  if (!holdsStepRole(step, held, state)) return { kind: 'forbidden', step };
  const fields = step.fields(state);
  const { values, problems } = readStepValues(fields, input, state.today);
  if (problems.length > 0) return { kind: 'invalid', step, problems };
  if (step.mayRecord && !step.mayRecord(held, values, state)) return { kind: 'forbidden', step };
  const plan = step.plan(values, state);
  if (Array.isArray(plan)) return { kind: 'invalid', step, problems: plan };
  return { kind: 'planned', step, values, plan: plan as StepPlan };
}
