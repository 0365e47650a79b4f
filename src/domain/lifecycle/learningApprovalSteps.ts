import type { FieldProblem } from '../validation/validationError.ts';
import { happened, happenedSince, latestOf } from './caseFacts.ts';
import type { LifecycleStep } from './lifecycleStep.ts';

/**
 * Darlington: "The Learning and Development Group will provide details and the rationale and outcome
 * of their decision to the SSP for approval, to progress course of action agreed" (004 s.10.7). A
 * Statutory Safeguarding Partner records the approval (or the Business Manager for them); a decision
 * returned goes back to the group, which decides again.
 */
export const learningApprovalSteps: readonly LifecycleStep[] = [
  {
    id: 'learning_decision_approval',
    title: "Record the partners' approval of the learning decision",
    roles: ['dsp', 'business_manager'],
    available: (s) =>
      s.profile.learningDecision.partnersApprove !== undefined &&
      happened(s, 'learning_decision') &&
      !happenedSince(s, 'learning_decision_approval', 'learning_decision') &&
      !happened(s, 'case_closed'),
    fields: (s) => {
      const outcome = String(latestOf(s, 'learning_decision')?.data?.outcome ?? '');
      const label = s.profile.learningDecision.outcomes.find((o) => o.id === outcome)?.label ?? outcome;
      return [
        {
          id: 'approved',
          label: `The Learning and Development Group decided: ${label}`,
          kind: 'choice',
          required: true,
          options: [
            { value: 'approved', title: 'Approved: the course of action goes ahead' },
            { value: 'returned', title: 'Not approved: returned to the group for a new decision' },
          ],
        },
        { id: 'notes', label: "The partners' comments (required when returning it)", kind: 'longText', required: false, maxLength: 4000 },
      ];
    },
    plan: (v, s) => {
      const approved = v.approved === 'approved';
      if (!approved && !v.notes) return [{ field: 'notes', message: 'is required: say why the decision is returned' }] as FieldProblem[];
      const decision = latestOf(s, 'learning_decision');
      const data = { approved, outcome: decision?.data?.outcome, ...(v.notes ? { notes: v.notes } : {}) };
      const learningBy = s.profile.roles.find((r) => r.id === s.profile.learningDecision.decidedBy)?.label ?? 'the learning group';
      return approved
        ? { events: [{ type: 'learning_decision_approval', data }], note: `the partners approved the ${learningBy}'s decision` }
        : {
            events: [{ type: 'learning_decision_approval', data }],
            stage: 'learning_review',
            note: `the partners returned the ${learningBy}'s decision for a new decision`,
          };
    },
  },
];
