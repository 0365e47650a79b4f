import { dayMonth } from '../time/formatLondon.ts';
import { dayOf, happened, latestOf } from './caseFacts.ts';
import type { CaseState, LifecycleStep } from './lifecycleStep.ts';

const inLcspr = (s: CaseState) => s.stage === 'lcspr';
const once = (s: CaseState, type: Parameters<typeof happened>[1]) => inLcspr(s) && !happened(s, type);
const decidedOn = (s: CaseState) => dayOf(latestOf(s, 'lcspr_decision')) ?? s.receivedOn;

/**
 * The local child safeguarding practice review, once commissioned (seed 000 steps 10-15): terms of
 * reference, the reviewer, the national bodies told, checkpoints and final governance. Its publication
 * is in publicationSteps.ts.
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
];
