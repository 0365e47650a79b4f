import { addYears } from 'date-fns';

import { formatIsoDate, parseIsoDate } from '../calendar/isoDate.ts';
import { dayMonth, fullDate } from '../time/formatLondon.ts';
import { dayOf, fieldOf, firstStage, happened, latestOf } from './caseFacts.ts';
import type { CaseState, LifecycleStep } from './lifecycleStep.ts';

const inLcspr = (s: CaseState) => s.stage === 'lcspr';
const once = (s: CaseState, type: Parameters<typeof happened>[1]) => inLcspr(s) && !happened(s, type);
const decidedOn = (s: CaseState) => dayOf(latestOf(s, 'lcspr_decision')) ?? s.receivedOn;

/** The 6-month publication deadline, from the clock (000, 001, 004: within 6 months of the decision). */
function publicationDue(s: CaseState): string | undefined {
  return s.clocks.find((c) => c.clockId === 'lcspr_publication')?.dueDate;
}

/**
 * The local child safeguarding practice review, once commissioned (seed 000 steps 10-15): terms of
 * reference, the reviewer, the national bodies told, checkpoints, final governance, the publication
 * plan (and any delay, with reasons), copies 7 working days ahead, publication and its public-until date.
 */
export const lcsprSteps: readonly LifecycleStep[] = [
  {
    id: 'tor_meeting_held',
    title: 'Record the terms of reference planning meeting',
    roles: ['business_manager'],
    available: (s) => once(s, 'tor_meeting_held'),
    fields: (s) => [
      { id: 'heldOn', label: 'Date of the ToR planning meeting', kind: 'date', required: true, tense: 'past', notBefore: decidedOn(s) },
    ],
    plan: (v) => ({
      events: [{ type: 'tor_meeting_held', on: v.heldOn as string }],
      note: `terms of reference planning meeting held on ${dayMonth(v.heldOn as string)}`,
    }),
  },
  {
    id: 'tor_approved',
    title: 'Record the terms of reference approved',
    roles: ['business_manager', 'partnership_chair'],
    available: (s) => once(s, 'tor_approved') && happened(s, 'tor_meeting_held'),
    fields: (s) => [
      {
        id: 'approvedOn',
        label: 'Date the Executive approved the terms of reference',
        kind: 'date',
        required: true,
        tense: 'past',
        notBefore: dayOf(latestOf(s, 'tor_meeting_held')) ?? decidedOn(s),
      },
    ],
    plan: (v) => ({
      events: [{ type: 'tor_approved', on: v.approvedOn as string }],
      note: `terms of reference approved on ${dayMonth(v.approvedOn as string)}`,
    }),
  },
  {
    id: 'reviewer_named',
    title: 'Name the lead reviewer',
    roles: ['business_manager'],
    available: (s) => once(s, 'reviewer_named'),
    fields: () => [{ id: 'reviewer', label: 'Lead reviewer (name and organisation)', kind: 'text', required: true, maxLength: 200 }],
    plan: (v) => ({
      events: [{ type: 'reviewer_named', data: { reviewer: v.reviewer } }],
      note: `lead reviewer named: ${v.reviewer as string}`,
    }),
  },
  {
    id: 'reviewer_notified',
    title: 'Record the Panel, Ofsted and DfE told of the reviewer',
    roles: ['business_manager'],
    available: (s) => once(s, 'reviewer_notified') && happened(s, 'reviewer_named'),
    fields: (s) => [
      {
        id: 'notifiedOn',
        label: 'Date they were told',
        kind: 'date',
        required: true,
        tense: 'past',
        notBefore: dayOf(latestOf(s, 'reviewer_named')),
      },
      { id: 'panel', label: 'The national Panel was told', kind: 'confirm' },
      { id: 'ofsted', label: 'Ofsted was told', kind: 'confirm' },
      { id: 'dfe', label: 'The Department for Education was told', kind: 'confirm' },
    ],
    plan: (v) => ({
      events: [{ type: 'reviewer_notified', on: v.notifiedOn as string, data: { to: ['panel', 'ofsted', 'dfe'] } }],
      note: `the Panel, Ofsted and the DfE were told the reviewer's name on ${dayMonth(v.notifiedOn as string)}`,
    }),
  },
  {
    id: 'checkpoint_held',
    title: 'Record a governance checkpoint',
    roles: ['business_manager'],
    available: (s) => inLcspr(s) && happened(s, 'tor_approved') && !happened(s, 'final_governance_held'),
    fields: (s) => [
      {
        id: 'heldOn',
        label: 'Date of the checkpoint meeting',
        kind: 'date',
        required: true,
        tense: 'past',
        notBefore: dayOf(latestOf(s, 'tor_approved')),
      },
      { id: 'notes', label: 'Notes (optional)', kind: 'longText', required: false, maxLength: 4000 },
    ],
    plan: (v, s) => {
      const n = s.events.filter((e) => e.type === 'checkpoint_held').length + 1;
      return {
        events: [{ type: 'checkpoint_held', on: v.heldOn as string, data: { number: n, notes: v.notes ?? '' } }],
        note: `governance checkpoint ${n} held on ${dayMonth(v.heldOn as string)}`,
      };
    },
  },
  {
    id: 'final_governance_held',
    title: 'Record the final governance meeting',
    roles: ['business_manager', 'partnership_chair'],
    available: (s) => once(s, 'final_governance_held') && happened(s, 'reviewer_named'),
    fields: (s) => [
      { id: 'heldOn', label: 'Date of the final governance meeting', kind: 'date', required: true, tense: 'past', notBefore: decidedOn(s) },
    ],
    plan: (v) => ({
      events: [{ type: 'final_governance_held', on: v.heldOn as string }],
      note: `final governance meeting held on ${dayMonth(v.heldOn as string)}`,
    }),
  },
  {
    id: 'publication_planned',
    title: 'Set or change the publication date',
    roles: ['business_manager', 'partnership_chair'],
    available: (s) => (s.stage === 'lcspr' || s.stage === 'publication') && happened(s, 'lcspr_decision') && !happened(s, 'published'),
    fields: (s) => {
      const due = publicationDue(s);
      const current = fieldOf(latestOf(s, 'publication_planned'), 'plannedDate');
      return [
        {
          id: 'plannedDate',
          label: `Planned publication date${due ? ` (due within 6 months of the decision: by ${fullDate(due)})` : ''}${current ? `; now ${fullDate(current)}` : ''}`,
          kind: 'date',
          required: true,
          tense: 'future',
        },
        {
          id: 'reasons',
          label:
            'Reasons for any delay (required when the date moves or is after the deadline; reported to the Panel and the Secretary of State)',
          kind: 'longText',
          required: false,
          maxLength: 4000,
        },
      ];
    },
    plan: (v, s) => {
      const planned = v.plannedDate as string;
      const due = publicationDue(s);
      const previous = fieldOf(latestOf(s, 'publication_planned'), 'plannedDate');
      const late = due !== undefined && planned > due;
      const delayed = late || (previous !== '' && planned > previous);
      if (delayed && !v.reasons)
        return [
          {
            field: 'reasons',
            message: late
              ? `are required: the date is after the 6-month deadline (${fullDate(due!)})`
              : 'are required: the publication is put back',
          },
        ];
      return {
        events: [
          {
            type: 'publication_planned',
            data: {
              plannedDate: planned,
              ...(delayed ? { delayReasons: v.reasons, previousDate: previous || null, pastDeadline: late } : {}),
            },
          },
        ],
        stage: firstStage(s.profile, 'publication') ?? s.stage,
        note: `publication planned for ${fullDate(planned)}${delayed ? `: delayed${previous ? ` from ${fullDate(previous)}` : ''}${late ? ', past the 6-month deadline' : ''}, with reasons recorded` : ''}. Copies are due to the Panel, the Secretary of State and Ofsted 7 working days before`,
      };
    },
  },
  {
    id: 'report_copies_sent',
    title: 'Record the report sent to the Panel, SoS and Ofsted',
    roles: ['business_manager'],
    available: (s) => s.stage === 'publication' && !happened(s, 'report_copies_sent'),
    fields: (s) => [
      { id: 'sentOn', label: 'Date the copies were sent', kind: 'date', required: true, tense: 'past', notBefore: decidedOn(s) },
      { id: 'panel', label: 'Sent to the national Panel', kind: 'confirm' },
      { id: 'sos', label: 'Sent to the Secretary of State', kind: 'confirm' },
      { id: 'ofsted', label: 'Sent to Ofsted', kind: 'confirm' },
    ],
    plan: (v) => ({
      events: [{ type: 'report_copies_sent', on: v.sentOn as string, data: { to: ['panel', 'secretary_of_state', 'ofsted'] } }],
      note: `the full report went to the Panel, the Secretary of State and Ofsted on ${dayMonth(v.sentOn as string)}`,
    }),
  },
  {
    id: 'published',
    title: 'Record the report published',
    roles: ['business_manager'],
    available: (s) => s.stage === 'publication' && happened(s, 'publication_planned') && !happened(s, 'published'),
    fields: (s) => [
      { id: 'publishedOn', label: 'Date published', kind: 'date', required: true, tense: 'past', notBefore: decidedOn(s) },
      { id: 'where', label: 'Where it is published (web page)', kind: 'text', required: true, maxLength: 500 },
    ],
    plan: (v, s) => {
      // "Kept publicly available for at least a year" (000, 001, 004): a date to keep it up until, not a deadline.
      const publicUntil = formatIsoDate(addYears(parseIsoDate(v.publishedOn as string), 1));
      return {
        events: [{ type: 'published', on: v.publishedOn as string, data: { publishedOn: v.publishedOn, where: v.where, publicUntil } }],
        stage: firstStage(s.profile, 'action_plan') ?? s.stage,
        note: `report published on ${dayMonth(v.publishedOn as string)}; it must stay public until at least ${fullDate(publicUntil)}`,
      };
    },
  },
];
