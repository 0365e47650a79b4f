import { addYears } from 'date-fns';

import { formatIsoDate, parseIsoDate } from '../calendar/isoDate.ts';
import { dayMonth, fullDate } from '../time/formatLondon.ts';
import { dayOf, fieldOf, firstStage, happened, itemsOf, latestOf } from './caseFacts.ts';
import type { CaseState, LifecycleStep } from './lifecycleStep.ts';

/**
 * What is published (000 L126-131, 001 s.11 L173-181, 004 s.14.4-15.5): the partners "must publish the
 * report, unless they consider it inappropriate to do so", and then "any information about the
 * improvements"; they "set out for the Panel and the Secretary of State the justification for any
 * decision not to publish either". Without a decision recorded the full report is to be published.
 */
const OUTCOMES = [
  { value: 'full', title: 'Publish the full report' },
  {
    value: 'improvements_only',
    title: 'Publish only the information about the improvements to be made (the learning and recommendations)',
  },
  { value: 'not_published', title: 'Do not publish (the justification is set out for the Panel and the Secretary of State)' },
] as const;

const decided = (s: CaseState) => latestOf(s, 'publication_decided');
const outcomeOf = (s: CaseState) => fieldOf(decided(s), 'outcome') || 'full';
const notPublishing = (s: CaseState) => outcomeOf(s) === 'not_published';
const commissioned = (s: CaseState) => latestOf(s, 'lcspr_decision')?.data?.commission === true;
const decidedOn = (s: CaseState) => dayOf(latestOf(s, 'lcspr_decision')) ?? s.receivedOn;
/** Each time the publication is put back past its deadline: one delay, told to the Panel and the Secretary of State. */
const delays = (s: CaseState) => itemsOf(s, 'publication_delayed', 'publication_delay_reported');
const publicUntil = (s: CaseState) => fieldOf(latestOf(s, 'published'), 'publicUntil');

/** The 6-month publication deadline, from the clock (000, 001, 004: within 6 months of the decision). */
function publicationDue(s: CaseState): string | undefined {
  return s.clocks.find((c) => c.clockId === 'lcspr_publication')?.dueDate;
}

/** The Panel and the Secretary of State: both must be ticked as told. */
const BOTH_TOLD = [
  { id: 'panel', label: 'The national Panel was told', kind: 'confirm' },
  { id: 'sos', label: 'The Secretary of State was told', kind: 'confirm' },
] as const;

/**
 * The LCSPR's publication (seed 000 steps 13-15): what is to be published, the planned date (and any
 * delay, with reasons told to the Panel and the Secretary of State), copies 7 working days ahead,
 * publication and its public-until date, reviewed when the year is up; or, not publishing, the
 * justification sent to the Panel and the Secretary of State.
 */
export const publicationSteps: readonly LifecycleStep[] = [
  {
    id: 'publication_decided',
    title: 'Record the publication decision',
    // 000 L126: the Executive at the final governance meeting; 004 s.15.2: the partners and the Independent Scrutineer.
    roles: ['partnership_chair', 'business_manager'],
    available: (s) =>
      commissioned(s) &&
      !happened(s, 'published') &&
      (s.stage === 'lcspr' || s.stage === 'publication' || (s.stage === 'action_plan' && notPublishing(s))),
    fields: (s) => [
      { id: 'outcome', label: 'What is to be published', kind: 'choice', required: true, options: OUTCOMES },
      { id: 'decidedOn', label: 'Date of the decision', kind: 'date', required: true, tense: 'past', notBefore: decidedOn(s) },
      {
        id: 'reasons',
        label:
          'Why (required unless the full report is published; not publishing at all, this is the justification set out for the Panel and the Secretary of State)',
        kind: 'longText',
        required: false,
        maxLength: 4000,
      },
    ],
    plan: (v, s) => {
      const outcome = v.outcome as (typeof OUTCOMES)[number]['value'];
      if (outcome !== 'full' && !v.reasons)
        return [
          {
            field: 'reasons',
            message:
              outcome === 'not_published'
                ? 'are required: the justification for not publishing is set out for the Panel and the Secretary of State'
                : 'are required: why the full report is not published',
          },
        ];
      // Not publishing, nothing waits for a publication: the case goes on to its action plan. Deciding to
      // publish after all brings it back.
      const stage =
        outcome === 'not_published'
          ? firstStage(s.profile, 'action_plan')
          : s.stage === 'action_plan'
            ? firstStage(s.profile, 'publication')
            : undefined;
      return {
        events: [
          { type: 'publication_decided', on: v.decidedOn as string, data: { outcome, ...(v.reasons ? { reasons: v.reasons } : {}) } },
        ],
        ...(stage ? { stage } : {}),
        note:
          outcome === 'full'
            ? 'publication decision: the full report is to be published'
            : outcome === 'improvements_only'
              ? 'publication decision: only the information about the improvements is to be published, with the reasons recorded'
              : 'publication decision: not to publish; the justification is to be set out for the Panel and the Secretary of State',
      };
    },
  },
  {
    id: 'publication_planned',
    title: 'Set or change the publication date',
    roles: ['business_manager', 'partnership_chair'],
    available: (s) =>
      (s.stage === 'lcspr' || s.stage === 'publication') && happened(s, 'lcspr_decision') && !happened(s, 'published') && !notPublishing(s),
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
            'Reasons for any delay (required when the date moves or is after the deadline; after the deadline, the Panel and the Secretary of State are told them)',
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
      // A new delay past the deadline (the first date after it, or a later one): "the safeguarding partners
      // should inform the Panel and the Secretary of State of the reasons for the delay" (000 L131, 001 L181, 004 s.15.5).
      const newDelay = late && (previous === '' || previous <= due! || planned > previous);
      const delayId = `D${delays(s).length + 1}`;
      return {
        events: [
          {
            type: 'publication_planned',
            data: {
              plannedDate: planned,
              ...(delayed ? { delayReasons: v.reasons, previousDate: previous || null, pastDeadline: late } : {}),
            },
          },
          ...(newDelay
            ? [{ type: 'publication_delayed' as const, data: { itemId: delayId, plannedDate: planned, deadline: due, reasons: v.reasons } }]
            : []),
        ],
        stage: firstStage(s.profile, 'publication') ?? s.stage,
        note:
          `publication planned for ${fullDate(planned)}${delayed ? `: delayed${previous ? ` from ${fullDate(previous)}` : ''}${late ? ', past the 6-month deadline' : ''}, with reasons recorded` : ''}. Copies are due to the Panel, the Secretary of State and Ofsted 7 working days before` +
          (newDelay ? `. The Panel and the Secretary of State are to be told the reasons for the delay (${delayId})` : ''),
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
    plan: (v, s) => {
      // 000 L128: "Where it has been decided only to publish information relating to the improvements ... a
      // copy of that information will also be shared ... within the same timescale."
      const improvements = outcomeOf(s) === 'improvements_only';
      return {
        events: [
          {
            type: 'report_copies_sent',
            on: v.sentOn as string,
            data: { to: ['panel', 'secretary_of_state', 'ofsted'], ...(improvements ? { with: 'improvements_information' } : {}) },
          },
        ],
        note: `the full report${improvements ? ' and the information about the improvements' : ''} went to the Panel, the Secretary of State and Ofsted on ${dayMonth(v.sentOn as string)}`,
      };
    },
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
      // "Kept publicly available for at least a year" (000, 001, 004): a date to keep it up until, watched by its own clock.
      const publicUntil = formatIsoDate(addYears(parseIsoDate(v.publishedOn as string), 1));
      const outcome = outcomeOf(s) === 'improvements_only' ? 'improvements_only' : 'full';
      return {
        events: [
          { type: 'published', on: v.publishedOn as string, data: { publishedOn: v.publishedOn, where: v.where, publicUntil, outcome } },
        ],
        stage: firstStage(s.profile, 'action_plan') ?? s.stage,
        note: `${outcome === 'full' ? 'report' : 'information about the improvements (not the full report)'} published on ${dayMonth(v.publishedOn as string)}; it must stay public until at least ${fullDate(publicUntil)}`,
      };
    },
  },
  {
    id: 'publication_delay_reported',
    title: 'Record the Panel and the Secretary of State told of a delay',
    roles: ['business_manager', 'partnership_chair'],
    available: (s) => delays(s).some((d) => !d.closed),
    fields: (s) => {
      const open = delays(s).filter((d) => !d.closed);
      return [
        {
          id: 'itemId',
          label: 'Delay',
          kind: 'choice',
          required: true,
          options: open.map((d) => ({
            value: d.itemId,
            title: `${d.itemId}: publication put back to ${fullDate(fieldOf(d.event, 'plannedDate'))}, past ${fullDate(fieldOf(d.event, 'deadline'))}`,
          })),
        },
        {
          id: 'toldOn',
          label: 'Date they were told the reasons',
          kind: 'date',
          required: true,
          tense: 'past',
          notBefore: dayOf(open[0]?.event),
        },
        ...BOTH_TOLD,
      ];
    },
    plan: (v, s) => {
      const delay = delays(s).find((d) => d.itemId === v.itemId)!;
      const from = dayOf(delay.event)!;
      if ((v.toldOn as string) < from)
        return [{ field: 'toldOn', message: `must not be before ${from}, when ${delay.itemId} was recorded` }];
      return {
        events: [
          {
            type: 'publication_delay_reported',
            on: v.toldOn as string,
            data: { itemId: delay.itemId, toldOn: v.toldOn, to: ['panel', 'secretary_of_state'] },
          },
        ],
        note: `the Panel and the Secretary of State were told the reasons for delay ${delay.itemId} on ${dayMonth(v.toldOn as string)}`,
      };
    },
  },
  {
    id: 'non_publication_reported',
    title: 'Record the justification for not publishing sent to the Panel and the Secretary of State',
    roles: ['business_manager', 'partnership_chair'],
    available: (s) => {
      const told = latestOf(s, 'non_publication_reported');
      return notPublishing(s) && (!told || told.at < decided(s)!.at);
    },
    fields: (s) => [
      { id: 'toldOn', label: 'Date the justification was sent', kind: 'date', required: true, tense: 'past', notBefore: dayOf(decided(s)) },
      ...BOTH_TOLD,
    ],
    plan: (v) => ({
      events: [
        { type: 'non_publication_reported', on: v.toldOn as string, data: { toldOn: v.toldOn, to: ['panel', 'secretary_of_state'] } },
      ],
      note: `the justification for not publishing went to the Panel and the Secretary of State on ${dayMonth(v.toldOn as string)}`,
    }),
  },
  {
    id: 'public_period_reviewed',
    title: "Record the report's public year reviewed",
    roles: ['business_manager'],
    // Once the year is up, whatever the case's stage (it may have closed): the public-until date outlives its work.
    available: (s) => happened(s, 'published') && !happened(s, 'public_period_reviewed') && s.today >= publicUntil(s),
    fields: (s) => [
      { id: 'reviewedOn', label: 'Date reviewed', kind: 'date', required: true, tense: 'past', notBefore: publicUntil(s) },
      {
        id: 'throughout',
        label: `Was it publicly available throughout${publicUntil(s) ? `, until ${fullDate(publicUntil(s))}` : ''}?`,
        kind: 'choice',
        required: true,
        options: [
          { value: 'yes', title: 'Yes, throughout' },
          { value: 'no', title: 'No (say what happened below)' },
        ],
      },
      {
        id: 'next',
        label: 'From now',
        kind: 'choice',
        required: true,
        options: [
          { value: 'kept', title: 'It stays published' },
          { value: 'withdrawn', title: 'It is withdrawn' },
        ],
      },
      { id: 'notes', label: 'Notes (required if it was not available throughout)', kind: 'longText', required: false, maxLength: 2000 },
    ],
    plan: (v, s) => {
      const throughout = v.throughout === 'yes';
      if (!throughout && !v.notes) return [{ field: 'notes', message: 'are required: say when and why it was not available' }];
      return {
        events: [
          {
            type: 'public_period_reviewed',
            on: v.reviewedOn as string,
            data: { reviewedOn: v.reviewedOn, throughout, next: v.next, ...(v.notes ? { notes: v.notes } : {}) },
          },
        ],
        note: `the published report's year (until ${fullDate(publicUntil(s))}) reviewed on ${dayMonth(v.reviewedOn as string)}: ${throughout ? 'public throughout' : 'not public throughout, with what happened recorded'}; ${v.next === 'kept' ? 'it stays published' : 'it is withdrawn'}`,
      };
    },
  },
];
