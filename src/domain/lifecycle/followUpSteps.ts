import { dayMonth } from '../time/formatLondon.ts';
import { awaitsLearningDecision, dayOf, happened, latestOf, profileTracks } from './caseFacts.ts';
import type { LifecycleStep } from './lifecycleStep.ts';

/** Steps around the DSP decision that some profiles time: telling the partners, telling the referrer, the learning decision. */
export const followUpSteps: readonly LifecycleStep[] = [
  {
    id: 'partners_told',
    title: 'Record the partners told of the referral',
    roles: ['business_manager', 'la_notifier'],
    // Darlington 004: the business manager tells the partners within 1 working day of the referral.
    available: (s) => profileTracks(s.profile, 'partners_told') && !happened(s, 'partners_told') && s.stage !== 'closed',
    fields: () => [{ id: 'toldOn', label: 'Date the statutory partners were told', kind: 'date', required: true, tense: 'past' }],
    plan: (v) => ({
      events: [{ type: 'partners_told', on: v.toldOn as string }],
      note: `statutory partners told of the referral on ${dayMonth(v.toldOn as string)}`,
    }),
  },
  {
    id: 'referrer_told_outcome',
    title: 'Record the referrer told the outcome',
    roles: ['business_manager', 'la_notifier'],
    // Darlington 004: the referrer is told the outcome within 5 working days of the decision.
    available: (s) =>
      profileTracks(s.profile, 'referrer_told_outcome') && happened(s, 'notification_decision') && !happened(s, 'referrer_told_outcome'),
    fields: (s) => [
      {
        id: 'toldOn',
        label: 'Date the referrer was told the decision and its rationale',
        kind: 'date',
        required: true,
        tense: 'past',
        notBefore: dayOf(latestOf(s, 'notification_decision')) ?? s.receivedOn,
      },
    ],
    plan: (v) => ({
      events: [{ type: 'referrer_told_outcome', on: v.toldOn as string }],
      note: `referrer told the outcome on ${dayMonth(v.toldOn as string)}`,
    }),
  },
  {
    id: 'dispute_resolved',
    title: 'Record the outcome of the dispute resolution',
    roles: ['partnership_chair', 'business_manager'],
    // 000: where the DSPs disagree, the local dispute resolution procedure decides; its outcome then
    // routes the case as an agreed decision would.
    available: (s) =>
      s.stage === s.profile.notificationDecision.onDisagreement.next && latestOf(s, 'notification_decision')?.data?.outcome === 'disagreed',
    fields: (s) => [
      {
        id: 'outcome',
        label: 'The decision reached',
        kind: 'choice',
        required: true,
        options: s.profile.notificationDecision.outcomes.map((o) => ({ value: o.id, title: o.label })),
      },
      {
        id: 'rationale',
        label: 'How it was resolved, and why (it goes to the referrer when no notification is made)',
        kind: 'longText',
        required: true,
        maxLength: 4000,
      },
    ],
    plan: (v, s) => {
      const outcome = s.profile.notificationDecision.outcomes.find((o) => o.id === v.outcome)!;
      const votes = latestOf(s, 'notification_decision')?.data?.votes ?? {};
      return {
        events: [
          { type: 'notification_decision', data: { outcome: outcome.id, rule: 'dispute_resolution', resolution: v.rationale, votes } },
        ],
        stage: outcome.next,
        note: `the dispute is resolved: ${outcome.label}`,
        effects: [{ kind: 'decision_messages', outcome: outcome.id }],
      };
    },
  },
  {
    id: 'learning_decision',
    title: 'Record the learning decision',
    roles: [], // from the profile: see `learningRoles`
    available: (s) => s.stage === 'learning_review' && awaitsLearningDecision(s),
    fields: (s) => [
      {
        id: 'outcome',
        label: 'Decision',
        kind: 'choice',
        required: true,
        options: s.profile.learningDecision.outcomes.map((o) => ({ value: o.id, title: o.label })),
      },
      { id: 'rationale', label: 'Rationale (it goes back to the referrer)', kind: 'longText', required: true, maxLength: 4000 },
    ],
    mayRecord: (held, _v, s) => held.some((h) => h.role === s.profile.learningDecision.decidedBy),
    plan: (v, s) => {
      const outcome = s.profile.learningDecision.outcomes.find((o) => o.id === v.outcome)!;
      const from = latestOf(s, 'notification_decision') ? "the partners' referral" : 'the learning request';
      return {
        events: [{ type: 'learning_decision', data: { outcome: outcome.id, rationale: v.rationale } }],
        stage: outcome.next,
        note: `learning decision on ${from}: ${outcome.label}. The referrer is sent the decision and its rationale`,
        effects: [{ kind: 'referrer_learning_email' }],
      };
    },
  },
];
