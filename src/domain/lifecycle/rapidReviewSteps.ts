import { shiftDate } from '../clocks/shiftDate.ts';
import { type MeetingWindow, meetingWindow, placeInWindow } from '../meetings/meetingWindow.ts';
import { dayMonth } from '../time/formatLondon.ts';
import type { FieldProblem } from '../validation/validationError.ts';
import { dayOf, fieldOf, firstStage, happened, hasStage, itemsOf, latestOf, profileTracks } from './caseFacts.ts';
import type { CaseState, LifecycleStep, StepEffect } from './lifecycleStep.ts';
import { emailAddress, linesOf, type Option, type StepField } from './stepFields.ts';

/** The rapid review's conclusions (issue #7 stage 3; seed 000 step 7, 001 Appendix 1, 003 Appendix E). */
export const CONCLUSIONS: readonly Option[] = [
  { value: 'local_review', title: 'Local child safeguarding practice review (LCSPR)' },
  { value: 'national_review', title: 'National review recommended to the Panel' },
  { value: 'no_review', title: 'No review' },
];

const VIEWS: readonly Option[] = [
  { value: 'met', title: 'Met' },
  { value: 'not_met', title: 'Not met' },
  { value: 'unclear', title: 'Not clear yet' },
];

const inRapidReview = (s: CaseState) => s.stage === 'rapid_review';

/**
 * The rapid review's preparation is open in the rapid review stage, and earlier where the profile
 * times it from before the Panel notification is confirmed: NEL from the referral (001 Appendix 1:
 * templates out within 2 working days of the referral), Stockport from the Virtual Panel's decision
 * (003: template out within 2 working days of the decision).
 */
const preparing = (s: CaseState) =>
  inRapidReview(s) ||
  s.profile.clocks.some(
    (c) =>
      c.stage === 'rapid_review' &&
      ((['dsp_decision', 'notification'].includes(s.stage) && c.starts.event === 'referral_received') ||
        (s.stage === 'notification' && c.starts.event === 'notification_decision')),
  );

/**
 * The rapid review meeting's window: the profile meeting whose date this step sets (meetingWindow.ts),
 * or, for a profile that books none, the rapid review's own clock (its 7-13 working days) or the
 * report's deadline.
 */
function rapidReviewWindow(s: CaseState): MeetingWindow | undefined {
  const meeting = s.profile.meetings.find((m) => m.movedBy?.event === 'rr_meeting_date_set');
  const facts = { ...s, booked: {} };
  if (meeting) return meetingWindow(meeting.kind, facts);
  const clock =
    s.clocks.find((c) => c.clockId === 'rr_meeting' && c.dueDate) ?? s.clocks.find((c) => c.clockId === 'rr_report_to_panel' && c.dueDate);
  if (!clock?.dueDate) return undefined;
  return {
    ...(clock.earliestDate ? { earliest: clock.earliestDate, opensBecause: `the ${clock.short} window opens` } : {}),
    latest: clock.dueDate,
    deadline: clock.dueDate,
    deadlineShort: clock.short,
  };
}

function windowWords(w: MeetingWindow): string {
  const range = w.earliest ? `between ${dayMonth(w.earliest)} and ${dayMonth(w.latest)}` : `by ${dayMonth(w.latest)}`;
  return `${range}; the ${midSentence(w.deadlineShort)} is due by ${dayMonth(w.deadline)}`;
}

/** A clock's name inside a sentence: "Rapid review report" reads "rapid review report"; "DSP decision" stays. */
function midSentence(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name[0]!.toLowerCase() + name.slice(1) : name;
}

/** The date information returns are due, by the profile's rule: after sending (Stockport: 8 WD) or after the referral (NEL: 5 WD). */
export function returnsDueOn(state: CaseState): string {
  const rule = state.profile.informationRequest;
  return shiftDate(rule.from === 'referral' ? state.receivedOn : state.today, rule.returnWithin, state.calendar);
}

function requestedItems(state: CaseState) {
  return itemsOf(state, 'info_request_sent', 'info_return_recorded');
}

/** "Other agencies" lines: "Name, lead's email". */
function otherAgencies(text: unknown): { agencies: { name: string; email: string }[]; problems: FieldProblem[] } {
  const agencies: { name: string; email: string }[] = [];
  const problems: FieldProblem[] = [];
  linesOf(text).forEach((line, i) => {
    const at = line.lastIndexOf(',');
    const name = line.slice(0, Math.max(0, at)).trim();
    const email = line.slice(at + 1).trim();
    if (at < 1 || !name || !emailAddress.safeParse(email).success) {
      problems.push({ field: 'otherAgencies', message: `line ${i + 1} must read "Agency name, lead's email address"` });
    } else agencies.push({ name, email });
  });
  return { agencies, problems };
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')
      .slice(0, 40) || 'agency'
  );
}

export const rapidReviewSteps: readonly LifecycleStep[] = [
  {
    id: 'panel_acknowledged',
    title: "Record the Panel's acknowledgement",
    roles: ['la_notifier', 'business_manager'],
    // Darlington counts its rapid review from the Panel's acknowledgement (004 s.6.10).
    available: (s) =>
      inRapidReview(s) && s.profile.clocks.some((c) => c.starts.event === 'panel_acknowledged') && !happened(s, 'panel_acknowledged'),
    fields: (s) => [
      {
        id: 'acknowledgedOn',
        label: 'Date the Panel acknowledged the notification',
        kind: 'date',
        required: true,
        tense: 'past',
        notBefore: dayOf(latestOf(s, 'panel_notified')) ?? s.receivedOn,
      },
    ],
    plan: (v) => ({
      events: [{ type: 'panel_acknowledged', on: v.acknowledgedOn as string }],
      note: `the Panel acknowledged the notification on ${dayMonth(v.acknowledgedOn as string)}`,
    }),
  },
  {
    id: 'rr_panel_named',
    title: 'Name the rapid review panel and chair',
    roles: ['business_manager'],
    available: preparing,
    fields: () => [
      { id: 'chair', label: 'Rapid review chair (name)', kind: 'text', required: true, maxLength: 100 },
      { id: 'members', label: 'Panel members, one per line (name and agency)', kind: 'longText', required: true, maxLength: 2000 },
    ],
    plan: (v) => {
      const members = linesOf(v.members);
      return {
        events: [{ type: 'rr_panel_named', data: { chair: v.chair, members } }],
        note: `rapid review panel named: chair ${v.chair as string}, ${members.length} member${members.length === 1 ? '' : 's'}`,
      };
    },
  },
  {
    id: 'info_requests_sent',
    title: 'Send the information requests',
    roles: ['business_manager'],
    available: (s) => preparing(s) && s.profile.agencies.some((a) => !requestedItems(s).some((i) => i.itemId === a.id)),
    fields: (s) => {
      const requested = requestedItems(s).map((i) => i.itemId);
      return [
        {
          id: 'agencies',
          label: `Agencies to send the ${s.profile.informationRequest.template} to (their safeguarding leads get it in Teams)`,
          kind: 'multiChoice',
          required: false,
          options: s.profile.agencies.filter((a) => !requested.includes(a.id)).map((a) => ({ value: a.id, title: a.label })),
        },
        {
          id: 'otherAgencies',
          label: 'Other involved agencies, by email: one per line, "Agency name, lead\'s email"',
          kind: 'longText',
          required: false,
          maxLength: 3000,
        },
      ];
    },
    plan: (v, s) => {
      const picked = (v.agencies as string[] | undefined) ?? [];
      const others = otherAgencies(v.otherAgencies);
      if (others.problems.length > 0) return others.problems;
      if (picked.length === 0 && others.agencies.length === 0)
        return [{ field: 'agencies', message: 'choose at least one agency, or name one by email' }];
      const dueOn = returnsDueOn(s);
      const taken = new Set(requestedItems(s).map((i) => i.itemId));
      const effects: StepEffect[] = [];
      const events: {
        type: 'info_request_sent';
        data: { itemId: string; agency: string; agencyName: string; email?: string; dueOn: string };
      }[] = picked.map((agency) => {
        effects.push({ kind: 'info_request_card', itemId: agency, agency, dueOn });
        return {
          type: 'info_request_sent',
          data: { itemId: agency, agency, agencyName: s.profile.agencies.find((a) => a.id === agency)!.label, dueOn },
        };
      });
      for (const other of others.agencies) {
        let itemId = `other_${slug(other.name)}`;
        for (let n = 2; taken.has(itemId); n++) itemId = `other_${slug(other.name)}_${n}`;
        taken.add(itemId);
        effects.push({ kind: 'info_request_email', itemId, agencyName: other.name, email: other.email, dueOn });
        events.push({ type: 'info_request_sent', data: { itemId, agency: '', agencyName: other.name, email: other.email, dueOn } });
      }
      const names = events.map((e) => e.data.agencyName);
      return {
        events: [
          {
            type: 'info_requests_sent',
            data: { agencies: events.map((e) => e.data.itemId), dueOn, template: s.profile.informationRequest.template },
          },
          ...events,
        ],
        note: `${s.profile.informationRequest.template} sent to ${names.join(', ')}; returns due by the end of ${dayMonth(dueOn)}`,
        effects,
      };
    },
  },
  {
    id: 'info_return_recorded',
    title: "Record an agency's return",
    roles: ['business_manager', 'agency_leads'],
    available: (s) => requestedItems(s).some((i) => !i.closed),
    fields: (s) => [
      {
        id: 'itemId',
        label: 'Agency',
        kind: 'choice',
        required: true,
        options: requestedItems(s)
          .filter((i) => !i.closed)
          .map((i) => ({ value: i.itemId, title: `${fieldOf(i.event, 'agencyName')} (due ${dayMonth(fieldOf(i.event, 'dueOn'))})` })),
      },
      {
        id: 'kind',
        label: 'Return',
        kind: 'choice',
        required: true,
        options: [
          { value: 'received', title: 'Return received' },
          { value: 'nil', title: 'Nil return (no involvement)' },
        ],
      },
    ],
    // A safeguarding lead records their own agency's return; the business manager any agency's.
    mayRecord: (held, v, s) =>
      held.some((h) => h.role === 'business_manager') ||
      held.some(
        (h) =>
          h.role === 'agency_leads' &&
          h.scope !== '' &&
          requestedItems(s).some((i) => i.itemId === v.itemId && fieldOf(i.event, 'agency') === h.scope),
      ),
    plan: (v, s) => {
      const item = requestedItems(s).find((i) => i.itemId === v.itemId)!;
      const stillOut = requestedItems(s).filter((i) => !i.closed && i.itemId !== v.itemId);
      const complete = stillOut.length === 0 && !happened(s, 'info_returns_complete');
      return {
        events: [
          { type: 'info_return_recorded', data: { itemId: v.itemId, kind: v.kind } },
          ...(complete ? [{ type: 'info_returns_complete' as const }] : []),
        ],
        note: `${v.kind === 'nil' ? 'nil return' : 'return received'} from ${fieldOf(item.event, 'agencyName')}${complete ? '; every agency has now returned' : `; ${stillOut.length} still awaited`}`,
      };
    },
  },
  {
    id: 'rr_meeting_date_set',
    title: 'Set the rapid review meeting date',
    roles: ['business_manager'],
    available: (s) => preparing(s) && !happened(s, 'rr_meeting_held'),
    fields: (s) => {
      const window = rapidReviewWindow(s);
      return [
        {
          id: 'meetingDate',
          label: `Meeting date${window ? ` (${windowWords(window)})` : ''}`,
          kind: 'date',
          required: true,
          tense: 'future',
        },
        {
          id: 'reason',
          label: 'Reason, if the date is outside that window (required after the deadline)',
          kind: 'longText',
          required: false,
          maxLength: 1000,
        },
      ];
    },
    plan: (v, s) => {
      const date = v.meetingDate as string;
      const reason = typeof v.reason === 'string' ? v.reason : '';
      const window = rapidReviewWindow(s);
      const place = window ? placeInWindow(date, window) : 'inside';
      // After the deadline the meeting serves, the statutory date is missed: only with a reason.
      if (window && place === 'after_deadline' && !reason)
        return [
          {
            field: 'reason',
            message: `is required: ${dayMonth(date)} is after the ${window.deadlineShort} deadline (${dayMonth(window.deadline)})`,
          },
        ];
      const flag =
        !window || place === 'inside'
          ? ''
          : place === 'early'
            ? `; before its window opens on ${dayMonth(window.earliest!)} (${window.opensBecause})`
            : place === 'late'
              ? `; after its window closes on ${dayMonth(window.latest)}`
              : `; AFTER the ${window.deadlineShort} deadline (${dayMonth(window.deadline)})`;
      return {
        events: [
          {
            type: 'rr_meeting_date_set',
            data: { meetingDate: date, ...(place === 'inside' ? {} : { outsideWindow: place }), ...(reason ? { reason } : {}) },
          },
        ],
        note: `rapid review meeting set for ${dayMonth(date)}${flag}${reason && place !== 'inside' ? `. Reason: ${reason}` : ''}`,
      };
    },
  },
  {
    id: 'return_pack_circulated',
    title: 'Record the return pack circulated',
    roles: ['business_manager'],
    // Stays open after the meeting until recorded, so a pack circulated late can still be recorded (and a case is never stuck open on it).
    available: (s) => happened(s, 'info_requests_sent') && !happened(s, 'return_pack_circulated') && !happened(s, 'case_closed'),
    fields: () => [
      {
        id: 'confirm',
        label: "The agencies' returns and the referral form went to everyone attending the rapid review meeting",
        kind: 'confirm',
      },
    ],
    plan: () => ({ events: [{ type: 'return_pack_circulated' }], note: "return pack circulated to the meeting's attendees" }),
  },
  {
    id: 'rr_meeting_held',
    title: 'Record the rapid review outcome',
    roles: ['rr_chair', 'business_manager'],
    available: (s) => inRapidReview(s) && !happened(s, 'rr_meeting_held'),
    fields: (s) => [
      { id: 'heldOn', label: 'Date of the rapid review meeting', kind: 'date', required: true, tense: 'past', notBefore: s.receivedOn },
      ...s.profile.reviewCriteria.flatMap((c, i): StepField[] => [
        { id: `view_${c.id}`, label: `${i + 1}. ${c.text}`, kind: 'choice', required: true, options: VIEWS },
        { id: `notes_${c.id}`, label: `Notes on ${i + 1}`, kind: 'longText', required: false, maxLength: 2000 },
      ]),
      { id: 'conclusion', label: 'Conclusion', kind: 'choice', required: true, options: CONCLUSIONS },
      { id: 'reasons', label: 'Reasons for the conclusion', kind: 'longText', required: true, maxLength: 4000 },
      { id: 'immediateActions', label: 'Immediate actions agreed (optional)', kind: 'longText', required: false, maxLength: 4000 },
    ],
    plan: (v, s) => {
      const criteria = s.profile.reviewCriteria.map((c) => ({ id: c.id, view: v[`view_${c.id}`], notes: v[`notes_${c.id}`] ?? '' }));
      const conclusion = v.conclusion as string;
      const title = CONCLUSIONS.find((c) => c.value === conclusion)!.title;
      const held = {
        type: 'rr_meeting_held' as const,
        on: v.heldOn as string,
        data: { heldOn: v.heldOn, criteria, conclusion, reasons: v.reasons, immediateActions: v.immediateActions ?? '' },
      };
      // With a governance stage (HSSCP, Darlington) the partnership chair makes the final decision there;
      // without one the rapid review's conclusion is the decision.
      if (hasStage(s.profile, 'governance')) {
        return {
          events: [held],
          stage: 'governance',
          note: `rapid review held on ${dayMonth(v.heldOn as string)}; its recommendation (${title}) goes to the governance meeting for the partnership chair's final decision`,
        };
      }
      return {
        events: [
          held,
          {
            type: 'lcspr_decision',
            on: v.heldOn as string,
            data: { commission: conclusion === 'local_review', conclusion, reasons: v.reasons, by: 'rapid_review' },
          },
        ],
        stage: firstStage(s.profile, 'panel_submission') ?? s.stage,
        note: `rapid review held on ${dayMonth(v.heldOn as string)}: ${title}`,
      };
    },
  },
  {
    id: 'agencies_told_outcome',
    title: 'Record the agencies told the outcome',
    roles: ['business_manager'],
    // NEL 001 Appendix 1: "Agencies (including the agency who made the referral) are informed of the outcome".
    available: (s) =>
      profileTracks(s.profile, 'agencies_told_outcome') && happened(s, 'rr_meeting_held') && !happened(s, 'agencies_told_outcome'),
    fields: () => [
      { id: 'confirm', label: "The involved agencies, and the referrer's agency, were told the rapid review's outcome", kind: 'confirm' },
    ],
    plan: () => ({ events: [{ type: 'agencies_told_outcome' }], note: "agencies told the rapid review's outcome" }),
  },
];
