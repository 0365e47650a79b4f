import { recordedReferralFacts } from '../referral/referralFacts.ts';
import { dayMonth } from '../time/formatLondon.ts';
import { awaitedByClock } from './caseFacts.ts';
import type { LifecycleStep } from './lifecycleStep.ts';

/**
 * When a looked-after child has died the local authority must also notify the Secretary of State and
 * Ofsted, "whether or not abuse or neglect is known or suspected" (002 L21, 001 L58, 003 Appendix A
 * L505-507, 004 s.5.3): whatever the partners decide, so the step is open while the profile's clock for
 * it runs (its condition reads the referral's facts), and the case cannot close until it is recorded.
 */
export const lookedAfterSteps: readonly LifecycleStep[] = [
  {
    id: 'sos_ofsted_notified',
    title: 'Record the Secretary of State and Ofsted notified',
    roles: ['la_notifier', 'business_manager'],
    available: (s) => awaitedByClock(s, 'sos_ofsted_notified'),
    fields: (s) => {
      // The notification is of the death: not before the date of death, or the incident's if none is given.
      const facts = recordedReferralFacts(s.events);
      const died = facts.diedOn ?? facts.incidentOn;
      return [
        {
          id: 'notifiedOn',
          label: 'Date the Secretary of State (DfE) and Ofsted were notified',
          kind: 'date',
          required: true,
          tense: 'past',
          ...(died ? { notBefore: died } : {}),
        },
        { id: 'confirm', label: 'Both the Secretary of State (DfE) and Ofsted were notified', kind: 'confirm' },
      ];
    },
    plan: (v) => ({
      events: [{ type: 'sos_ofsted_notified', data: { notifiedOn: v.notifiedOn } }],
      // The thread says what was done, not why: the channel is not told the child's status.
      note: `the Secretary of State and Ofsted were notified on ${dayMonth(v.notifiedOn as string)}`,
    }),
  },
];
