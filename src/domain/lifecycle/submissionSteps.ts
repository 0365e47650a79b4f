import { dayMonth } from '../time/formatLondon.ts';
import { dayOf, fieldOf, firstStage, happened, latestOf, profileTracks } from './caseFacts.ts';
import type { CaseState, LifecycleStep } from './lifecycleStep.ts';
import { CONCLUSIONS } from './rapidReviewSteps.ts';

const RESPONSES = [
  { value: 'agrees', title: 'The Panel agrees with the rapid review' },
  { value: 'disagrees', title: 'The Panel disagrees' },
  { value: 'more_information', title: 'The Panel asks for more information' },
];

/** Where a case goes once the Panel has answered: the LCSPR if one was commissioned, else its action plan. */
function afterPanel(s: CaseState): string {
  const commissioned = latestOf(s, 'lcspr_decision')?.data?.commission === true;
  return (commissioned ? firstStage(s.profile, 'lcspr') : undefined) ?? firstStage(s.profile, 'action_plan', 'closed')!;
}

/** Governance (HSSCP, Darlington), the report to the national Panel, the Panel's answer, and Stockport's desk-top reviews. */
export const submissionSteps: readonly LifecycleStep[] = [
  {
    id: 'governance_meeting_held',
    title: 'Record the governance meeting and final decision',
    roles: ['partnership_chair'],
    available: (s) => s.stage === 'governance' && !happened(s, 'governance_meeting_held'),
    fields: (s) => [
      {
        id: 'heldOn',
        label: 'Date of the review governance meeting',
        kind: 'date',
        required: true,
        tense: 'past',
        notBefore: dayOf(latestOf(s, 'rr_meeting_held')) ?? s.receivedOn,
      },
      {
        id: 'decision',
        label: `Final decision (the rapid review recommended: ${CONCLUSIONS.find((c) => c.value === fieldOf(latestOf(s, 'rr_meeting_held'), 'conclusion'))?.title ?? 'not recorded'})`,
        kind: 'choice',
        required: true,
        options: CONCLUSIONS,
      },
      { id: 'reasons', label: 'Reasons (added to the rapid review report)', kind: 'longText', required: true, maxLength: 4000 },
    ],
    plan: (v, s) => {
      const decision = v.decision as string;
      return {
        events: [
          { type: 'governance_meeting_held', on: v.heldOn as string, data: { heldOn: v.heldOn } },
          {
            type: 'lcspr_decision',
            on: v.heldOn as string,
            data: { commission: decision === 'local_review', conclusion: decision, reasons: v.reasons, by: 'partnership_chair' },
          },
        ],
        stage: firstStage(s.profile, 'panel_submission') ?? s.stage,
        note: `governance meeting held on ${dayMonth(v.heldOn as string)}; the partnership chair's final decision: ${CONCLUSIONS.find((c) => c.value === decision)!.title}. Next, the report to the Panel`,
      };
    },
  },
  {
    id: 'rr_report_submitted',
    title: 'Record the report sent to the Panel',
    roles: ['business_manager', 'partnership_chair', 'rr_chair'],
    available: (s) => s.stage === 'panel_submission' && !happened(s, 'rr_report_submitted'),
    fields: (s) => [
      {
        id: 'submittedOn',
        label: 'Date the rapid review report went to the national Panel',
        kind: 'date',
        required: true,
        tense: 'past',
        notBefore: dayOf(latestOf(s, 'rr_meeting_held')) ?? s.receivedOn,
      },
    ],
    plan: (v, s) => ({
      events: [{ type: 'rr_report_submitted', on: v.submittedOn as string, data: { submittedOn: v.submittedOn } }],
      stage: firstStage(s.profile, 'panel_response') ?? s.stage,
      note: `rapid review report submitted to the Panel on ${dayMonth(v.submittedOn as string)}. The Panel's response is awaited`,
    }),
  },
  {
    id: 'panel_response_received',
    title: "Record the Panel's response",
    roles: ['business_manager'],
    available: (s) => s.stage === 'panel_response',
    fields: (s) => [
      {
        id: 'receivedOn',
        label: "Date of the Panel's response",
        kind: 'date',
        required: true,
        tense: 'past',
        notBefore: dayOf(latestOf(s, 'rr_report_submitted')) ?? s.receivedOn,
      },
      { id: 'response', label: 'Response', kind: 'choice', required: true, options: RESPONSES },
      { id: 'notes', label: 'Notes (optional)', kind: 'longText', required: false, maxLength: 4000 },
    ],
    plan: (v, s) => {
      const more = v.response === 'more_information';
      const next = more ? s.stage : afterPanel(s);
      return {
        events: [{ type: 'panel_response_received', on: v.receivedOn as string, data: { response: v.response, notes: v.notes ?? '' } }],
        stage: next,
        note: `the Panel responded on ${dayMonth(v.receivedOn as string)}: ${RESPONSES.find((r) => r.value === v.response)!.title.replace(/^The Panel /, '')}${more ? '. The case stays with the Panel until it has answered' : ''}`,
      };
    },
  },
  {
    id: 'desktop_review_done',
    title: 'Record a desk-top review',
    roles: ['business_manager', 'engine_room'],
    // Stockport 003: a desk-top review of every rapid review decision at 6 and at 12 months.
    available: (s) =>
      profileTracks(s.profile, 'desktop_review_done') && happened(s, 'lcspr_decision') && reviewsLeft(s).length > 0 && s.stage !== 'closed',
    fields: (s) => [
      { id: 'review', label: 'Which review', kind: 'choice', required: true, options: reviewsLeft(s) },
      { id: 'notes', label: 'Findings (optional)', kind: 'longText', required: false, maxLength: 4000 },
    ],
    plan: (v) => ({
      events: [{ type: 'desktop_review_done', data: { review: v.review, notes: v.notes ?? '' } }],
      note: `${v.review === '6m' ? '6' : '12'}-month desk-top review of the rapid review decision recorded`,
    }),
  },
];

function reviewsLeft(s: CaseState) {
  const done = s.events.filter((e) => e.type === 'desktop_review_done').map((e) => e.data?.review);
  return [
    { value: '6m', title: '6-month review' },
    { value: '12m', title: '12-month review' },
  ].filter((o) => !done.includes(o.value));
}
