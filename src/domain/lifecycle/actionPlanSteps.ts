import type { CaseEvent } from '../case/caseEvent.ts';
import { RUNNING_STATES } from '../clocks/clockState.ts';
import { dayMonth, fullDate } from '../time/formatLondon.ts';
import { fieldOf, happened, itemsOf } from './caseFacts.ts';
import type { CaseState, LifecycleStep } from './lifecycleStep.ts';
import type { StepField } from './stepFields.ts';

/** Stages in which actions can be set: from the rapid review's recommendations onwards. */
const ACTION_STAGES = ['panel_submission', 'panel_response', 'lcspr', 'publication', 'action_plan'];

const actions = (s: CaseState) => itemsOf(s, 'action_set', 'action_completed');

/** The action as first set: its original deadline, whatever extensions followed (004 s.9.2). */
function firstSet(s: CaseState, itemId: string): CaseEvent | undefined {
  return s.events.find((e) => e.type === 'action_set' && String(e.data?.itemId) === itemId);
}

/** The open actions to choose from, each with the deadline it is held to now. */
function openActionField(s: CaseState): StepField {
  return {
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
  };
}

/** The role that must ask for an extension, in the profile's words ("Chief Officer (agency concerned)"), if the profile names one. */
function askerOf(s: CaseState): string | undefined {
  const role = s.profile.actionExtension?.requestedBy;
  return role && (s.profile.roles.find((r) => r.id === role)?.label ?? role);
}

/** Whether the profile counts any of the action's escalations from its original deadline (Darlington). */
function escalatesFromOriginal(s: CaseState): boolean {
  return s.profile.clocks.some((c) => c.starts.event === 'action_set' && c.escalation.some((e) => e.from === 'original_due'));
}

/** Action plans (000 step 16; Darlington's escalation is in its clock), their extensions, and closing a case. */
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
      // An existing plan is entered as it stands: its deadline may already have passed, and the action is then overdue.
      { id: 'deadline', label: 'Deadline (an existing plan keeps its own, even if passed)', kind: 'date', required: true, tense: 'any' },
    ],
    plan: (v, s) => {
      const itemId = `A${actions(s).length + 1}`;
      const owner = s.profile.agencies.find((a) => a.id === v.agency)!.label;
      const deadline = v.deadline as string;
      return {
        events: [{ type: 'action_set', data: { itemId, description: v.description, agency: v.agency, deadline } }],
        note: `action ${itemId} set for ${owner}, due ${dayMonth(deadline)}${deadline < s.today ? ` (${fullDate(deadline)}: already past, so overdue)` : ''}`,
      };
    },
  },
  {
    id: 'action_extended',
    title: "Extend an action's deadline",
    roles: ['business_manager', 'engine_room'],
    adHoc: true,
    available: (s) => actions(s).some((a) => !a.closed) && s.stage !== 'closed',
    fields: (s) => {
      const asker = askerOf(s);
      return [
        openActionField(s),
        { id: 'deadline', label: 'New deadline (later than the current one)', kind: 'date', required: true, tense: 'any' },
        { id: 'agreedBy', label: 'Who agreed the extension (name and role)', kind: 'text', required: true, maxLength: 200 },
        { id: 'agreedOn', label: 'Date it was agreed', kind: 'date', required: true, tense: 'past' },
        ...(asker
          ? [
              {
                id: 'requestedBy',
                label: `Who asked for it: the ${asker} (name). An extension is agreed only at their request`,
                kind: 'text' as const,
                required: true,
                maxLength: 200,
              },
            ]
          : []),
        { id: 'reason', label: 'Why the deadline is extended', kind: 'longText', required: true, maxLength: 2000 },
      ];
    },
    plan: (v, s) => {
      const itemId = v.itemId as string;
      const current = actions(s).find((a) => a.itemId === itemId)!.event;
      const was = fieldOf(current, 'deadline');
      const deadline = v.deadline as string;
      if (deadline <= was) return [{ field: 'deadline', message: `must be later than the current deadline (${fullDate(was)})` }];
      const original = fieldOf(firstSet(s, itemId), 'deadline');
      const requestedBy = s.profile.actionExtension
        ? { requestedBy: v.requestedBy, requestedAs: s.profile.actionExtension.requestedBy }
        : {};
      return {
        // The item set again with its new deadline: its clock follows the latest, its escalations (where the
        // profile says so) the first.
        events: [
          {
            type: 'action_set',
            data: {
              itemId,
              description: fieldOf(current, 'description'),
              agency: fieldOf(current, 'agency'),
              deadline,
              extension: {
                previousDeadline: was,
                originalDeadline: original,
                agreedBy: v.agreedBy,
                agreedOn: v.agreedOn,
                reason: v.reason,
                ...requestedBy,
              },
            },
          },
        ],
        note:
          `action ${itemId}'s deadline extended from ${dayMonth(was)} to ${fullDate(deadline)}, agreed on ${dayMonth(v.agreedOn as string)}` +
          `${askerOf(s) ? ` at the request of the ${askerOf(s)!}` : ''}, with who agreed it and why recorded` +
          (escalatesFromOriginal(s) ? `; its escalations still count from the original deadline, ${fullDate(original)}` : ''),
      };
    },
  },
  {
    id: 'action_completed',
    title: 'Mark an action complete',
    roles: ['business_manager', 'engine_room', 'agency_leads'],
    available: (s) => actions(s).some((a) => !a.closed) && s.stage !== 'closed',
    fields: (s) => [
      openActionField(s),
      // Recorded late, it is judged on the day it was done (the clock's completedBy.dateField).
      { id: 'completedOn', label: 'Date it was completed (today if left blank)', kind: 'date', required: false, tense: 'past' },
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
    plan: (v, s) => {
      const completedOn = (v.completedOn as string | undefined) ?? s.today;
      return {
        events: [{ type: 'action_completed', on: completedOn, data: { itemId: v.itemId, completedOn } }],
        note: `action ${v.itemId as string} completed${completedOn === s.today ? '' : ` on ${dayMonth(completedOn)}`}`,
      };
    },
  },
  {
    id: 'case_closed',
    title: 'Close the case',
    roles: ['business_manager'],
    // Also from the 'closed' route of a decision (do not notify): closing is its own recorded step, once the referrer has been told.
    available: (s) => !['referral', 'dsp_decision'].includes(s.stage) && !happened(s, 'case_closed'),
    fields: () => [{ id: 'reason', label: 'Why the case can close', kind: 'longText', required: true, maxLength: 2000 }],
    plan: (v, s) => {
      // Nothing the partnership is held to may still be running: a case is closed when its work is done. A
      // date watched beyond that work (the report's public year) goes on being watched after it closes.
      const waitsFor = (clockId: string) => s.profile.clocks.find((c) => c.id === clockId)?.blocksClosing !== false;
      const running = s.clocks.filter((c) => RUNNING_STATES.includes(c.state) && waitsFor(c.clockId));
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
