import { RUNNING_STATES } from '../clocks/clockState.ts';
import { dayMonth } from '../time/formatLondon.ts';
import { fieldOf, happened, itemsOf } from './caseFacts.ts';
import type { CaseState, LifecycleStep } from './lifecycleStep.ts';

/** Stages in which actions can be set: from the rapid review's recommendations onwards. */
const ACTION_STAGES = ['panel_submission', 'panel_response', 'lcspr', 'publication', 'action_plan'];

const actions = (s: CaseState) => itemsOf(s, 'action_set', 'action_completed');

/** Action plans (000 step 16; Darlington's escalation is in its clock) and closing a case. */
export const actionPlanSteps: readonly LifecycleStep[] = [
  {
    id: 'action_set',
    title: 'Add an action',
    roles: ['business_manager', 'engine_room'],
    available: (s) => ACTION_STAGES.includes(s.stage),
    fields: (s) => [
      {
        id: 'description',
        label: 'Action (what must be done; no names of the child or family)',
        kind: 'text',
        required: true,
        maxLength: 300,
      },
      {
        id: 'agency',
        label: 'Owner agency',
        kind: 'choice',
        required: true,
        options: s.profile.agencies.map((a) => ({ value: a.id, title: a.label })),
      },
      { id: 'deadline', label: 'Deadline', kind: 'date', required: true, tense: 'future' },
    ],
    plan: (v, s) => {
      const itemId = `A${actions(s).length + 1}`;
      const owner = s.profile.agencies.find((a) => a.id === v.agency)!.label;
      return {
        events: [{ type: 'action_set', data: { itemId, description: v.description, agency: v.agency, deadline: v.deadline } }],
        note: `action ${itemId} set for ${owner}, due ${dayMonth(v.deadline as string)}`,
      };
    },
  },
  {
    id: 'action_completed',
    title: 'Mark an action complete',
    roles: ['business_manager', 'engine_room', 'agency_leads'],
    available: (s) => actions(s).some((a) => !a.closed) && s.stage !== 'closed',
    fields: (s) => [
      {
        id: 'itemId',
        label: 'Action',
        kind: 'choice',
        required: true,
        options: actions(s)
          .filter((a) => !a.closed)
          .map((a) => ({
            value: a.itemId,
            title: `${a.itemId}: ${fieldOf(a.event, 'description')} (due ${dayMonth(fieldOf(a.event, 'deadline'))})`,
          })),
      },
    ],
    // An agency's lead completes their own agency's actions; the business manager and the group any.
    mayRecord: (held, v, s) =>
      held.some((h) => h.role === 'business_manager' || h.role === 'engine_room') ||
      held.some(
        (h) =>
          h.role === 'agency_leads' &&
          h.scope !== '' &&
          actions(s).some((a) => a.itemId === v.itemId && fieldOf(a.event, 'agency') === h.scope),
      ),
    plan: (v) => ({ events: [{ type: 'action_completed', data: { itemId: v.itemId } }], note: `action ${v.itemId as string} completed` }),
  },
  {
    id: 'case_closed',
    title: 'Close the case',
    roles: ['business_manager'],
    // Also from the 'closed' route of a decision (do not notify): closing is its own recorded step, once the referrer has been told.
    available: (s) => !['referral', 'dsp_decision'].includes(s.stage) && !happened(s, 'case_closed'),
    fields: () => [{ id: 'reason', label: 'Why the case can close', kind: 'longText', required: true, maxLength: 2000 }],
    plan: (v, s) => {
      // Nothing the partnership is held to may still be running: a case is closed when its work is done.
      const running = s.clocks.filter((c) => RUNNING_STATES.includes(c.state));
      if (running.length > 0)
        return [
          {
            field: 'reason',
            message: `the case cannot close while ${running.map((c) => c.short + (c.item ? ` ${c.item}` : '')).join(', ')} ${running.length === 1 ? 'is' : 'are'} still running`,
          },
        ];
      return { events: [{ type: 'case_closed', data: { reason: v.reason, fromStage: s.stage } }], stage: 'closed', note: 'case closed' };
    },
  },
];
