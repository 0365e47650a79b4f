import { defersDecision } from '../decisions/decisionRoute.ts';
import { dayMonth } from '../time/formatLondon.ts';
import { dayOf, happened, happenedSince, latestOf } from './caseFacts.ts';
import type { CaseState, LifecycleStep } from './lifecycleStep.ts';

/** The partners' latest decision sent queries back to the referrer, and the answer is not in yet. */
function awaitingReferrer(s: CaseState): boolean {
  const decision = latestOf(s, 'notification_decision');
  return (
    decision !== undefined &&
    defersDecision(s.profile, decision.data?.outcome) &&
    !happenedSince(s, 'referrer_answered', 'notification_decision') &&
    !happened(s, 'case_closed')
  );
}

/**
 * Stockport's Virtual Panel may send "Queries back to referrer before decision can be made" (003
 * Appendix A 2.1). When the referrer answers, the answer is recorded and the decision opens again: the
 * votes are cleared for a new round (the last round stays in the audit log and in its decision event),
 * and the partners vote anew. No clock restarts: the Panel notification still runs from when the local
 * authority became aware, the rapid review report from the original receipt (003 L89).
 */
export const referrerQueriesSteps: readonly LifecycleStep[] = [
  {
    id: 'referrer_answered',
    title: "Record the referrer's answer to the partners' queries",
    roles: ['business_manager'],
    available: awaitingReferrer,
    fields: (s) => [
      {
        id: 'answeredOn',
        label: 'Date the referrer answered',
        kind: 'date',
        required: true,
        tense: 'past',
        notBefore: dayOf(latestOf(s, 'notification_decision')) ?? s.receivedOn,
      },
      {
        id: 'answer',
        label: "The referrer's answer (kept in the case record for the partners; not shown in the channel)",
        kind: 'longText',
        required: true,
        maxLength: 4000,
      },
    ],
    plan: (v, s) => {
      const round = s.events.filter((e) => e.type === 'notification_decision' && defersDecision(s.profile, e.data?.outcome)).length + 1;
      const queried = String(latestOf(s, 'notification_decision')?.data?.outcome);
      return {
        // Recorded now, with the answer's date in its data: the new round follows the queries in the record.
        events: [{ type: 'referrer_answered', data: { answeredOn: v.answeredOn, answer: v.answer, round, queried } }],
        stage: 'dsp_decision',
        note: `the referrer answered the partners' queries on ${dayMonth(v.answeredOn as string)}. The decision is open again: each partner votes anew (round ${round})`,
        effects: [{ kind: 'reopen_decision' }],
      };
    },
  },
];
