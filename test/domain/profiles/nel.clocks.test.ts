// Worked examples for every clock of the North East Lincolnshire profile, each written out from seed 001
// (/work/shared/seeds/001_b1eb4b682fd98ba1.txt; rapid review timetable in Appendix 1). Dates are worked by
// hand on the England-and-Wales calendar: Christmas 2026 is Fri 25 Dec with the Boxing Day substitute
// on Mon 28 Dec and New Year on Fri 1 Jan 2027; Easter 2027 is Good Friday 26 Mar and Easter Monday
// 29 Mar; BST runs from 29 Mar 2026 to 25 Oct 2026 and from 28 Mar 2027 to 31 Oct 2027.
// "Within N working days of X" is due by the end of the Nth working day after X's London date; dueAt
// is the London midnight after the due date.
import {
  agencyReturnExamples,
  describeClockExamples,
  event,
  type Example,
  loadShippedProfile,
  reviewGroupActionExamples,
} from '../../support/clockExamples.ts';
import { deviationExamples } from '../../support/deviationExamples.ts';
import { lookedAfterExamples } from '../../support/lookedAfterExamples.ts';

const profile = loadShippedProfile('src/profiles/nel.json');

const referral = event('referral_received', '2026-03-27T16:00:00Z');

const examples: Example[] = [
  // 001 s.3 L64: "NEL Council Children's Social Care will notify the national Child Safeguarding Practice
  // Review Panel of any incident that meets the notification criteria within 5 working days of becoming
  // aware". Aware Thu 24 Dec 2026: Tue 29, Wed 30, Thu 31 Dec, Mon 4 Jan, Tue 5 Jan 2027.
  {
    name: 'NEL: the LA, aware on Thursday 24 Dec 2026, must notify the Panel by the end of Tuesday 5 Jan 2027',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-12-24T09:00:00Z', { awareOn: '2026-12-24' }),
      event('notification_decision', '2026-12-24T15:00:00Z', { outcome: 'notify' }),
    ],
    now: '2027-01-04T12:00:00Z',
    expected: {
      state: 'due_soon',
      dueDate: '2027-01-05',
      dueAt: '2027-01-06T00:00:00.000Z',
      dueSoonAt: '2027-01-04T00:00:00.000Z',
      escalations: [{ at: '2027-01-06T00:00:00.000Z', notify: ['dsp'], reached: false }],
    },
  },
  {
    name: 'NEL: with no Panel notification by midnight after Tuesday 5 Jan 2027 the clock is overdue and the partners are told',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-12-24T09:00:00Z', { awareOn: '2026-12-24' }),
      event('notification_decision', '2026-12-24T15:00:00Z', { outcome: 'notify' }),
    ],
    now: '2027-01-06T08:00:00Z',
    expected: { state: 'overdue', escalations: [{ at: '2027-01-06T00:00:00.000Z', notify: ['dsp'], reached: true }] },
  },
  // 001 s.5 L81-84: a Rapid Review still follows for "All cases raised for consideration of a review by
  // partner organisations", but a case the LA does not notify owes no notification.
  {
    name: 'NEL: when the LA decides the incident is not notifiable, the Panel notification clock does not apply',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-12-24T09:00:00Z', { awareOn: '2026-12-24' }),
      event('notification_decision', '2026-12-24T15:00:00Z', { outcome: 'do_not_notify' }),
    ],
    now: '2027-01-06T08:00:00Z',
    expected: { state: 'not_applicable' },
  },
  // 001 s.3 L64 (as above), counted from when the LA became aware, which can be before the referral:
  // the CDOP (001 s.3 L66) met on Mon 7 Dec 2026 and the referral form reached the partnership on Wed 9
  // Dec, giving that date. Tue 8 (1), Wed 9 (2), Thu 10 (3), Fri 11 (4), Mon 14 Dec (5). From the
  // receipt it would be Wed 16 Dec.
  {
    name: 'NEL: the LA, aware at the CDOP on Monday 7 Dec 2026 before the referral of Wednesday 9 Dec, must notify the Panel by the end of Monday 14 Dec',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-12-09T10:00:00Z', { awareOn: '2026-12-07', basis: 'referral_form' }),
      event('notification_decision', '2026-12-10T15:00:00Z', { outcome: 'notify' }),
    ],
    now: '2026-12-10T16:00:00Z',
    expected: { state: 'pending', startedOn: '2026-12-07', dueDate: '2026-12-14', dueAt: '2026-12-15T00:00:00.000Z' },
  },

  // 001 s.3 L64: "A copy of the notification will be provided to the partnership support office on the
  // same day that it is submitted." Submitted Fri 23 Oct 2026 (BST): a copy at 22:30Z (23:30 BST) is
  // the same London day; one at 23:30Z is already Saturday in London.
  {
    name: 'NEL: a copy of a notification submitted Friday 23 Oct 2026 that reaches the partnership at 23:30 BST that day is on time',
    clock: 'notification_copy_to_partnership',
    events: [event('panel_notified', '2026-10-23T22:30:00Z', { notifiedOn: '2026-10-23' })],
    now: '2026-10-24T09:00:00Z',
    expected: { state: 'met', startedOn: '2026-10-23', dueDate: '2026-10-23', dueAt: '2026-10-23T23:00:00.000Z' },
  },
  {
    name: 'NEL: a copy of a notification submitted Friday 23 Oct 2026 that arrives at 23:30Z (Saturday in London) is late',
    clock: 'notification_copy_to_partnership',
    events: [event('panel_notified', '2026-10-23T23:30:00Z', { notifiedOn: '2026-10-23' })],
    now: '2026-10-24T09:00:00Z',
    expected: { state: 'met_late', dueDate: '2026-10-23' },
  },

  // 001 Appendix 1 L208: "Within 2 working days of referral — Initial Scoping and Information Sharing
  // Template sent to all relevant agencies". Referral Fri 27 Mar 2026; the clocks go forward on Sun 29
  // Mar; Mon 30 is day 1, Tue 31 day 2 (ending 23:00Z). Sent at 23:30 BST on the 31st: on time.
  {
    name: 'NEL: templates for a referral of Friday 27 Mar 2026 sent at 23:30 BST on Tuesday 31 Mar are on time',
    clock: 'info_requests_sent',
    events: [referral, event('info_requests_sent', '2026-03-31T22:30:00Z')],
    now: '2026-04-01T09:00:00Z',
    expected: { state: 'met', startedOn: '2026-03-27', dueDate: '2026-03-31', dueAt: '2026-03-31T23:00:00.000Z' },
  },
  {
    name: 'NEL: on Monday 30 Mar 2026 the templates for a referral of Friday 27 Mar are due soon',
    clock: 'info_requests_sent',
    events: [referral],
    now: '2026-03-30T08:00:00Z',
    expected: { state: 'due_soon', dueSoonAt: '2026-03-29T23:00:00.000Z' },
  },

  // 001 Appendix 1 L209: "Date set for Rapid Review Meeting" (in the 2-working-day row). Set on Wed 1 Apr
  // 2026 for a referral of Fri 27 Mar: a day late.
  {
    name: 'NEL: a Rapid Review meeting date set on Wednesday 1 Apr 2026 for a referral of Friday 27 Mar is late',
    clock: 'rr_meeting_date_set',
    events: [referral, event('rr_meeting_date_set', '2026-04-01T08:00:00Z', { meetingDate: '2026-04-15' })],
    now: '2026-04-02T09:00:00Z',
    expected: { state: 'met_late', dueDate: '2026-03-31', dueAt: '2026-03-31T23:00:00.000Z' },
  },

  // 001 Appendix 1 L210: "Within 5 working days — Completed Initial Scoping and Information Sharing
  // Template returned by agencies". Counted from the referral (Fri 27 Mar 2026): Mon 30, Tue 31, Wed 1,
  // Thu 2 Apr, then Good Friday (3 Apr) and Easter Monday (6 Apr) are skipped: day 5 is Tue 7 Apr.
  {
    name: 'NEL: agency templates for a referral of Friday 27 Mar 2026 are due back by the end of Tuesday 7 Apr, after Easter',
    clock: 'agency_info_returns',
    events: [referral],
    now: '2026-04-07T09:00:00Z',
    expected: { state: 'due_soon', dueDate: '2026-04-07', dueAt: '2026-04-07T23:00:00.000Z', dueSoonAt: '2026-04-01T23:00:00.000Z' },
  },
  {
    name: 'NEL: agency templates all returned on Wednesday 8 Apr 2026 for a referral of Friday 27 Mar are late',
    clock: 'agency_info_returns',
    events: [referral, event('info_returns_complete', '2026-04-08T09:00:00Z')],
    now: '2026-04-08T12:00:00Z',
    expected: { state: 'met_late' },
  },
  // 001 Appendix 1 L210: "... and then shared with those attending the Rapid Review meeting along with the
  // Referral Form and any LA notification" (same 5-working-day row).
  {
    name: 'NEL: the returns pack shared on Tuesday 7 Apr 2026 for a referral of Friday 27 Mar is on time',
    clock: 'agency_info_circulated',
    events: [referral, event('return_pack_circulated', '2026-04-07T15:00:00Z')],
    now: '2026-04-08T09:00:00Z',
    expected: { state: 'met', dueDate: '2026-04-07', dueAt: '2026-04-07T23:00:00.000Z' },
  },

  // 001 Appendix 1 L211: "Between 7 and 13 working days of receiving the referral — Rapid Review meeting".
  // Referral Fri 27 Mar 2026: day 7 is Thu 9 Apr (Easter skipped), day 13 is Fri 17 Apr.
  {
    name: 'NEL: the Rapid Review meeting for a referral of Friday 27 Mar 2026 falls between Thursday 9 Apr and Friday 17 Apr',
    clock: 'rr_meeting',
    events: [referral, event('rr_meeting_held', '2026-04-15T10:00:00Z')],
    now: '2026-04-16T09:00:00Z',
    expected: { state: 'met', earliestDate: '2026-04-09', dueDate: '2026-04-17', dueAt: '2026-04-17T23:00:00.000Z' },
  },
  {
    name: 'NEL: on Wednesday 15 Apr 2026 a Rapid Review meeting due Friday 17 Apr and not yet held is due soon',
    clock: 'rr_meeting',
    events: [referral],
    now: '2026-04-15T09:00:00Z',
    expected: { state: 'due_soon', dueSoonAt: '2026-04-13T23:00:00.000Z' },
  },

  // 001 Appendix 1 L212: "Within 2 days of the Rapid Review meeting — Rapid Review Template and
  // accompanying letter sent to national Panel." (days read as working days). Meeting Thu 24 Dec 2026:
  // Tue 29 is day 1, Wed 30 day 2.
  {
    name: 'NEL: the Rapid Review Template for a meeting held Thursday 24 Dec 2026 is overdue on the morning of Thursday 31 Dec',
    clock: 'rr_report_to_panel',
    events: [event('rr_meeting_held', '2026-12-24T14:00:00Z')],
    now: '2026-12-31T10:00:00Z',
    expected: { state: 'overdue', dueDate: '2026-12-30', dueAt: '2026-12-31T00:00:00.000Z' },
  },
  {
    name: 'NEL: before the Rapid Review meeting the report-to-Panel clock has not started',
    clock: 'rr_report_to_panel',
    events: [referral],
    now: '2026-04-01T10:00:00Z',
    expected: { state: 'not_started' },
  },

  // 001 Appendix 1 L212: "Agencies (including the agency who made the referral) are informed of the
  // outcome of the Rapid Review" (same 2-day row). Meeting Fri 16 Oct 2026: over the weekend, due Tue 20.
  {
    name: 'NEL: agencies told on Tuesday 20 Oct 2026 the outcome of a Rapid Review meeting held Friday 16 Oct are told on time',
    clock: 'rr_outcome_to_agencies',
    events: [event('rr_meeting_held', '2026-10-16T10:00:00Z'), event('agencies_told_outcome', '2026-10-20T10:00:00Z')],
    now: '2026-10-21T10:00:00Z',
    expected: { state: 'met', dueDate: '2026-10-20', dueAt: '2026-10-20T23:00:00.000Z' },
  },

  // 001 s.6 L121: "The Panel have given a commitment to respond ... on the majority of cases within 15
  // working days of a rapid review being received." Received Wed 30 Dec 2026: Thu 31 Dec is day 1, New
  // Year is skipped, day 15 is Thu 21 Jan 2027.
  {
    name: 'NEL: the Panel is expected to answer a Rapid Review received Wednesday 30 Dec 2026 by the end of Thursday 21 Jan 2027',
    clock: 'panel_response',
    events: [event('rr_report_submitted', '2026-12-30T11:00:00Z')],
    now: '2027-01-21T10:00:00Z',
    expected: { state: 'due_soon', dueDate: '2027-01-21', dueAt: '2027-01-22T00:00:00.000Z' },
  },

  // 001 s.11 L177: "Safeguarding partners must send a copy of the full report to the Panel and to the
  // Secretary of State no later than seven working days before the date of publication." Publication Tue 3
  // Nov 2026: back over the weekend and the clock change, Mon 2 Nov (1) ... Fri 23 Oct (7), still BST.
  {
    name: 'NEL: copies for a publication on Tuesday 3 Nov 2026 were due by the end of Friday 23 Oct (BST), so sending them Monday 26 Oct is late',
    clock: 'lcspr_copy_before_publication',
    events: [
      event('publication_planned', '2026-09-01T10:00:00Z', { plannedDate: '2026-11-03' }),
      event('report_copies_sent', '2026-10-26T09:00:00Z'),
    ],
    now: '2026-10-27T09:00:00Z',
    expected: { state: 'met_late', startedOn: '2026-11-03', dueDate: '2026-10-23', dueAt: '2026-10-23T23:00:00.000Z' },
  },

  // 001 s.11 L179: "the report should be completed and published as soon as possible and no later than
  // six months from the date of the decision to initiate a review." Decided Thu 30 Apr 2026 (BST) → Fri
  // 30 Oct 2026 (GMT). Due soon 20 working days before: from the start of Fri 2 Oct (BST).
  {
    name: 'NEL: a review commissioned Thursday 30 Apr 2026 must be published by the end of Friday 30 Oct 2026',
    clock: 'lcspr_publication',
    events: [event('lcspr_decision', '2026-04-30T11:00:00Z', { commission: true })],
    now: '2026-10-30T12:00:00Z',
    expected: { state: 'due_soon', dueDate: '2026-10-30', dueAt: '2026-10-31T00:00:00.000Z', dueSoonAt: '2026-10-01T23:00:00.000Z' },
  },
  {
    name: 'NEL: when no local review is commissioned there is no publication clock',
    clock: 'lcspr_publication',
    events: [event('lcspr_decision', '2026-04-30T11:00:00Z', { commission: false })],
    now: '2026-10-30T12:00:00Z',
    expected: { state: 'not_applicable' },
  },

  ...agencyReturnExamples('NEL'),
  ...reviewGroupActionExamples('NEL'),
  ...deviationExamples('NEL'),
  ...lookedAfterExamples('NEL'),
];

describeClockExamples('NEL profile clocks (seed 001)', profile, examples);
