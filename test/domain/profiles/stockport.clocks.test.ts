// Worked examples for every clock of the Stockport profile, each written out from seed 003
// (/work/shared/seeds/003_b597e1f2605121b5.txt, SSCP Rapid Review Process v3.0). Dates are worked by
// hand on the England-and-Wales calendar: Christmas 2026 is Fri 25 Dec with the Boxing Day substitute
// on Mon 28 Dec and New Year on Fri 1 Jan 2027; Easter 2027 is Good Friday 26 Mar and Easter Monday
// 29 Mar; BST runs from 29 Mar 2026 to 25 Oct 2026 and from 28 Mar 2027 to 31 Oct 2027.
// "Within N working days of X" is due by the end of the Nth working day after X's London date; dueAt
// is the London midnight after the due date.
import { describe, expect, it } from 'vitest';

import { computeClocks } from '../../../src/domain/clocks/computeClocks.ts';
import { describeClock } from '../../../src/domain/clocks/describeClock.ts';
import {
  agencyReturnExamples,
  calendar,
  describeClockExamples,
  event,
  type Example,
  loadShippedProfile,
  reviewGroupActionExamples,
} from '../../support/clockExamples.ts';
import { deviationExamples } from '../../support/deviationExamples.ts';
import { lookedAfterExamples } from '../../support/lookedAfterExamples.ts';

const profile = loadShippedProfile('src/profiles/stockport.json');

const twoComplaints = [
  event('complaint_received', '2027-12-16T12:00:00Z', { itemId: 'C1', receivedOn: '2027-12-16' }),
  event('complaint_answered', '2028-01-14T10:00:00Z', { itemId: 'C1', answeredOn: '2028-01-11' }),
  event('complaint_received', '2028-03-20T12:00:00Z', { itemId: 'C2', receivedOn: '2028-03-20' }),
];
const rapidReview = (instant: string) => event('notification_decision', instant, { outcome: 'rapid_review' });

const examples: Example[] = [
  // 003 L146: "Stockport Local Authority ... will notify the National Panel within five working days of
  // becoming aware of the incident via the online reporting portal." Aware Wed 25 Mar 2026 (GMT): Thu 26,
  // Fri 27, then the clocks go forward; Mon 30, Tue 31, Wed 1 Apr (BST) is day 5.
  {
    name: 'Stockport: the LA, aware on Wednesday 25 Mar 2026, must notify the Panel by the end of Wednesday 1 Apr (BST)',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-03-25T10:00:00Z', { awareOn: '2026-03-25' }),
      rapidReview('2026-03-25T15:00:00Z'),
      event('panel_notified', '2026-04-01T20:00:00Z', { notifiedOn: '2026-04-01' }),
    ],
    now: '2026-04-02T09:00:00Z',
    expected: {
      state: 'met',
      dueDate: '2026-04-01',
      dueAt: '2026-04-01T23:00:00.000Z',
      escalations: [{ at: '2026-04-01T23:00:00.000Z', notify: ['dsp'], reached: false }],
    },
  },
  // 003 L553-555: "Meets threshold for a case practice review, but not a Rapid Review" — not notifiable.
  {
    name: 'Stockport: when the Virtual Panel chooses a practice review, the Panel notification clock does not apply',
    clock: 'panel_notification',
    events: [
      // Not a looked-after child (#15 item 2: one always is notifiable).
      event('referral_received', '2026-03-25T10:00:00Z', { childStatus: 'child_in_need', isDeath: false, incidentOn: '2026-03-24' }),
      event('la_aware', '2026-03-25T10:00:00Z', { awareOn: '2026-03-25' }),
      event('notification_decision', '2026-03-25T15:00:00Z', { outcome: 'practice_review' }),
    ],
    now: '2026-04-02T09:00:00Z',
    expected: { state: 'not_applicable' },
  },
  // 003 L146 (as above), counted from when the LA became aware: a strategy meeting on Mon 12 Oct 2026,
  // two days before the referral reached the partnership on Wed 14 Oct, its date on the form. Tue 13
  // (1), Wed 14 (2), Thu 15 (3), Fri 16 (4), Mon 19 Oct (5). From the receipt it would be Wed 21 Oct.
  {
    name: 'Stockport: the LA, aware at a strategy meeting on Monday 12 Oct 2026 before the referral of Wednesday 14 Oct, must notify the Panel by the end of Monday 19 Oct',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-10-14T09:00:00Z', { awareOn: '2026-10-12', basis: 'referral_form' }),
      rapidReview('2026-10-15T15:00:00Z'),
    ],
    now: '2026-10-15T16:00:00Z',
    expected: { state: 'pending', startedOn: '2026-10-12', dueDate: '2026-10-19', dueAt: '2026-10-19T23:00:00.000Z' },
  },

  // 003 L159: "will be sent out to designated safeguarding leads in identified agencies within two working
  // days of the virtual panel making a decision to hold a rapid review." The panel first sent queries back
  // to the referrer (1 Dec), then decided on a Rapid Review on Thu 24 Dec 2026: the latest decision counts,
  // and Christmas and the Boxing Day substitute are skipped: due Wed 30 Dec.
  {
    name: 'Stockport: Appendix D requests after a Rapid Review decision on Thursday 24 Dec 2026 are due by the end of Wednesday 30 Dec',
    clock: 'info_requests_sent',
    events: [
      event('notification_decision', '2026-12-01T10:00:00Z', { outcome: 'queries_to_referrer' }),
      rapidReview('2026-12-24T11:00:00Z'),
    ],
    now: '2026-12-29T10:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2026-12-24',
      dueDate: '2026-12-30',
      dueAt: '2026-12-31T00:00:00.000Z',
      dueSoonAt: '2026-12-29T00:00:00.000Z',
    },
  },
  {
    // Queries are no decision yet (#15 item 3): the request waits for the decision rather than not applying.
    name: 'Stockport: while the Virtual Panel has sent queries back to the referrer, no information request is owed yet',
    clock: 'info_requests_sent',
    events: [event('notification_decision', '2026-12-01T10:00:00Z', { outcome: 'queries_to_referrer' })],
    now: '2026-12-10T10:00:00Z',
    expected: { state: 'not_started' },
  },

  // 003 L161: "Agencies should return the completed template ... within 8 working days." Sent Wed 30 Dec
  // 2026: Thu 31 Dec (1), New Year skipped, Mon 4 Jan (2) ... Tue 12 Jan 2027 (8).
  {
    name: 'Stockport: templates sent Wednesday 30 Dec 2026 but all returned on Wednesday 13 Jan 2027 are late',
    clock: 'agency_info_returns',
    events: [event('info_requests_sent', '2026-12-30T10:00:00Z'), event('info_returns_complete', '2027-01-13T09:00:00Z')],
    now: '2027-01-13T12:00:00Z',
    expected: { state: 'met_late', dueDate: '2027-01-12', dueAt: '2027-01-13T00:00:00.000Z' },
  },

  // 003 L163: "The safeguarding unit business support officer will circulate the completed template one
  // day prior to the Rapid Review Panel meeting if time allows." The meeting, first booked for Tue 23 Mar
  // 2027, moved to Tue 30 Mar (after Easter Monday): the working day before is Thu 25 Mar (Good Friday,
  // the weekend and Easter Monday skipped), still GMT.
  {
    name: 'Stockport: for a Rapid Review meeting moved to Tuesday 30 Mar 2027 the templates are circulated by the end of Thursday 25 Mar',
    clock: 'agency_info_circulated',
    events: [
      event('rr_meeting_date_set', '2027-03-10T10:00:00Z', { meetingDate: '2027-03-23' }),
      event('rr_meeting_date_set', '2027-03-15T10:00:00Z', { meetingDate: '2027-03-30' }),
      event('return_pack_circulated', '2027-03-25T17:00:00Z'),
    ],
    now: '2027-03-26T09:00:00Z',
    expected: { state: 'met', startedOn: '2027-03-30', dueDate: '2027-03-25', dueAt: '2027-03-26T00:00:00.000Z' },
  },

  // 003 L172: "A Rapid Review meeting will be convened between 7 and 13 working days of the Virtual panel
  // agreeing it's notifiable." Decided Thu 24 Dec 2026: day 7 is Thu 7 Jan 2027, day 13 is Fri 15 Jan.
  {
    name: 'Stockport: the Rapid Review meeting after a decision on Thursday 24 Dec 2026 falls between Thursday 7 and Friday 15 Jan 2027',
    clock: 'rr_meeting',
    events: [rapidReview('2026-12-24T11:00:00Z')],
    now: '2027-01-12T09:00:00Z',
    expected: {
      state: 'due_soon',
      earliestDate: '2027-01-07',
      dueDate: '2027-01-15',
      dueAt: '2027-01-16T00:00:00.000Z',
      dueSoonAt: '2027-01-12T00:00:00.000Z',
    },
  },

  // 003 Appendix D item 5 L655: "we have 15 working days from notification to conclude the rapid review
  // and submit a report"; L89: "within 15 working days of the referral being received". The earlier is the
  // deadline (#15 item 4; more examples below). Referred and notified Tue 20 Oct 2026 (confirmed Wed 21),
  // across the autumn clock change: day 15 is Tue 10 Nov on both readings.
  {
    name: 'Stockport: a Rapid Review report sent Tuesday 10 Nov 2026 for a notification of Tuesday 20 Oct is on time',
    clock: 'rr_report_to_panel',
    events: [
      event('referral_received', '2026-10-20T09:00:00Z'),
      rapidReview('2026-10-20T15:00:00Z'),
      event('panel_notified', '2026-10-21T09:00:00Z', { notifiedOn: '2026-10-20' }),
      event('rr_report_submitted', '2026-11-10T16:00:00Z'),
    ],
    now: '2026-11-11T09:00:00Z',
    expected: { state: 'met', startedOn: '2026-10-20', dueDate: '2026-11-10', dueAt: '2026-11-11T00:00:00.000Z' },
  },

  // 003 L226: "The Partnership Manager will do a desk top review of all Rapid Review decisions at 6 and 12
  // months". Decision (no practice review) Wed 20 Jan 2027: 6 months is Tue 20 Jul 2027 (BST); due soon 10
  // working days before, from the start of Tue 6 Jul.
  {
    name: 'Stockport: the 6-month desk-top review of a Rapid Review decision of Wednesday 20 Jan 2027 is due by the end of Tuesday 20 Jul',
    clock: 'desktop_review_6m',
    events: [rapidReview('2026-12-24T11:00:00Z'), event('lcspr_decision', '2027-01-20T15:00:00Z', { commission: false })],
    now: '2027-07-07T09:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2027-01-20',
      dueDate: '2027-07-20',
      dueAt: '2027-07-20T23:00:00.000Z',
      dueSoonAt: '2027-07-05T23:00:00.000Z',
    },
  },
  {
    name: 'Stockport: a 6-month desk-top review done Monday 19 Jul 2027 is on time',
    clock: 'desktop_review_6m',
    events: [
      rapidReview('2026-12-24T11:00:00Z'),
      event('lcspr_decision', '2027-01-20T15:00:00Z', { commission: false }),
      event('desktop_review_done', '2027-07-19T10:00:00Z', { review: '6m' }),
    ],
    now: '2027-07-21T09:00:00Z',
    expected: { state: 'met' },
  },
  // 003 L174: a practice review is not a Rapid Review; the desk-top reviews cover "Rapid Review decisions".
  {
    name: 'Stockport: a case sent to a practice review has no desk-top review clock',
    clock: 'desktop_review_6m',
    events: [
      event('notification_decision', '2026-12-24T11:00:00Z', { outcome: 'practice_review' }),
      event('lcspr_decision', '2027-01-20T15:00:00Z', { commission: false }),
    ],
    now: '2027-07-21T09:00:00Z',
    expected: { state: 'not_applicable' },
  },
  // 003 L226 (as above): 12 months after Wed 20 Jan 2027 is Thu 20 Jan 2028 (GMT).
  {
    name: 'Stockport: the 12-month desk-top review of a Rapid Review decision of Wednesday 20 Jan 2027 is due by the end of Thursday 20 Jan 2028',
    clock: 'desktop_review_12m',
    events: [rapidReview('2026-12-24T11:00:00Z'), event('lcspr_decision', '2027-01-20T15:00:00Z', { commission: false })],
    now: '2027-07-07T09:00:00Z',
    expected: { state: 'pending', dueDate: '2028-01-20', dueAt: '2028-01-21T00:00:00.000Z' },
  },

  // Not restated in 003 (L262 defers to Working Together 2018 for timescales): copies "no later than seven
  // working days before the date of publication". Publication Mon 4 Jan 2027: back over New Year, Thu 31
  // Dec (1), Wed 30 (2), Tue 29 (3), then the Boxing Day substitute, Christmas and the weekend, Thu 24
  // (4), Wed 23 (5), Tue 22 (6), Mon 21 Dec (7).
  {
    name: 'Stockport: copies for a publication on Monday 4 Jan 2027 were due by the end of Monday 21 Dec 2026',
    clock: 'lcspr_copy_before_publication',
    events: [event('publication_planned', '2026-11-01T10:00:00Z', { plannedDate: '2027-01-04' })],
    now: '2026-12-22T09:00:00Z',
    expected: { state: 'overdue', dueDate: '2026-12-21', dueAt: '2026-12-22T00:00:00.000Z' },
  },

  // 003 L262: "this report and learning is available no later than 6 months after the decision to
  // initiate a review is made". Decided Sat 28 Mar 2026 (GMT) → Mon 28 Sep 2026 (BST); published at 22:59Z,
  // one minute before midnight BST.
  {
    name: 'Stockport: a review commissioned Saturday 28 Mar 2026 and published at 23:59 BST on Monday 28 Sep is on time',
    clock: 'lcspr_publication',
    events: [
      event('lcspr_decision', '2026-03-28T12:00:00Z', { commission: true }),
      event('published', '2026-09-28T22:59:00Z', { publishedOn: '2026-09-28' }),
    ],
    now: '2026-09-29T09:00:00Z',
    expected: { state: 'met', dueDate: '2026-09-28', dueAt: '2026-09-28T23:00:00.000Z' },
  },

  // 003 L457: "with a written response within 28 days of receipt" (calendar days). Received Fri 11 Dec
  // 2026 → Fri 8 Jan 2027, Christmas counted. Due soon 5 working days before: from Thu 31 Dec.
  {
    name: 'Stockport: a complaint received Friday 11 Dec 2026 must be answered in writing by the end of Friday 8 Jan 2027',
    clock: 'complaint_reply',
    events: [event('complaint_received', '2026-12-11T10:00:00Z')],
    now: '2026-12-31T10:00:00Z',
    expected: { state: 'due_soon', dueDate: '2027-01-08', dueAt: '2027-01-09T00:00:00.000Z', dueSoonAt: '2026-12-31T00:00:00.000Z' },
  },
  // 003 L457 (as above). A complaint logged at 23:30Z on Thu 30 Jul 2026 was received at 00:30 BST on Fri
  // 31 Jul: 28 days from the London date is Fri 28 Aug (the August bank holiday, Mon 31 Aug, is after it).
  {
    name: 'Stockport: a complaint received at 23:30Z on Thursday 30 Jul 2026 (Friday in London) must be answered by the end of Friday 28 Aug',
    clock: 'complaint_reply',
    events: [event('complaint_received', '2026-07-30T23:30:00Z')],
    now: '2026-08-10T10:00:00Z',
    expected: { state: 'pending', startedOn: '2026-07-31', dueDate: '2026-08-28', dueAt: '2026-08-28T23:00:00.000Z' },
  },
  {
    name: 'Stockport: a complaint received Friday 11 Dec 2026 and answered Friday 8 Jan 2027 is answered on time',
    clock: 'complaint_reply',
    events: [event('complaint_received', '2026-12-11T10:00:00Z'), event('complaint_answered', '2027-01-08T16:00:00Z')],
    now: '2027-01-09T10:00:00Z',
    expected: { state: 'met' },
  },
  ...agencyReturnExamples('Stockport'),
  // 003 L457 (as above), one clock per complaint. C1 received Thu 16 Dec 2027 (28 days: Thu 13 Jan 2028,
  // Christmas and New Year counted) was answered on Tue 11 Jan, recorded Fri 14 Jan: judged on the day the response
  // went (answeredOn), on time. C2, received Mon 20 Mar 2028, is due 28 days on: Mon 17 Apr 2028, Easter Monday,
  // a bank holiday that calendar days do not skip (BST: 23:00 UTC); due soon 5 working days before, Good Friday
  // skipped: Thu 13 (1), Wed 12 (2), Tue 11 (3), Mon 10 (4), Fri 7 Apr (5), from 00:00 BST.
  {
    name: 'Stockport: a complaint answered on Tuesday 11 Jan 2028 and recorded on Friday 14 Jan is answered on time',
    clock: 'complaint_reply',
    item: 'C1',
    events: twoComplaints,
    now: '2028-03-21T09:00:00Z',
    expected: { state: 'met', startedOn: '2027-12-16', dueDate: '2028-01-13', dueAt: '2028-01-14T00:00:00.000Z' },
  },
  {
    name: 'Stockport: a second complaint, received Monday 20 Mar 2028, has its own clock, due by the end of Easter Monday 17 Apr',
    clock: 'complaint_reply',
    item: 'C2',
    events: twoComplaints,
    now: '2028-04-07T09:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2028-03-20',
      dueDate: '2028-04-17',
      dueAt: '2028-04-17T23:00:00.000Z',
      dueSoonAt: '2028-04-06T23:00:00.000Z',
    },
  },
  ...reviewGroupActionExamples('Stockport'),
  ...deviationExamples('Stockport'),
  ...lookedAfterExamples('Stockport'),
  // #15 item 2. 003 Appendix A 1.2 L505: "Notifiable Incidents also include any Looked After Child even if
  // abuse or neglect is not known or suspected"; Appendix C L614: their deaths "must always be notified to
  // the National Panel". For a looked-after child the Panel notification runs from the awareness before the
  // Virtual Panel has decided: aware Wed 25 Mar 2026, due Wed 1 Apr (BST), as above.
  {
    name: 'Stockport: for a looked-after child the Panel notification runs from the awareness before the Virtual Panel decides',
    clock: 'panel_notification',
    events: [
      event('referral_received', '2026-03-25T10:00:00Z', { childStatus: 'looked_after', isDeath: true, incidentOn: '2026-03-24' }),
      event('la_aware', '2026-03-25T10:00:00Z', { awareOn: '2026-03-25' }),
    ],
    now: '2026-03-26T09:00:00Z',
    expected: { state: 'pending', startedOn: '2026-03-25', dueDate: '2026-04-01', dueAt: '2026-04-01T23:00:00.000Z' },
  },
  // #15 item 3. 003 Appendix A 2.1: "Queries back to referrer before decision can be made" is no decision
  // yet: the Panel notification waits (not started), rather than not applying.
  {
    name: 'Stockport: while queries are back with the referrer, the Panel notification waits for the decision',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-03-25T10:00:00Z', { awareOn: '2026-03-25' }),
      event('notification_decision', '2026-03-26T10:00:00Z', { outcome: 'queries_to_referrer' }),
    ],
    now: '2026-03-27T09:00:00Z',
    expected: { state: 'not_started' },
  },
  // ...and once the referrer answered and the Virtual Panel decided on a Rapid Review (Wed 1 Apr), it is still
  // counted from the awareness of Wed 25 Mar: due Wed 1 Apr, the day of the decision.
  {
    name: 'Stockport: after queries, a Rapid Review decision of Wednesday 1 Apr 2026 leaves the Panel notification due that day (from the awareness)',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-03-25T10:00:00Z', { awareOn: '2026-03-25' }),
      event('notification_decision', '2026-03-26T10:00:00Z', { outcome: 'queries_to_referrer' }),
      event('referrer_answered', '2026-03-31T10:00:00Z', { answeredOn: '2026-03-31' }),
      rapidReview('2026-04-01T10:00:00Z'),
    ],
    now: '2026-04-01T11:00:00Z',
    expected: { state: 'due_soon', startedOn: '2026-03-25', dueDate: '2026-04-01', dueAt: '2026-04-01T23:00:00.000Z' },
  },

  // #15 item 4. 003 gives the report two starting points: "within 15 working days of the referral being
  // received" (L89) and "15 working days from notification" (Appendix D L655). The earlier due date is the
  // deadline. Referral Wed 14 Oct 2026: Thu 15 (1), Fri 16 (2), Mon 19 (3), Tue 20 (4), Wed 21 (5), Thu 22
  // (6), Fri 23 (7), Mon 26 (8; the clocks went back on Sun 25), Tue 27 (9), Wed 28 (10), Thu 29 (11), Fri 30
  // (12), Mon 2 Nov (13), Tue 3 (14), Wed 4 Nov (15). Notified Mon 19 Oct: Tue 20 (1) ... Mon 26 (5), Tue 27
  // (6), Wed 28 (7), Thu 29 (8), Fri 30 (9), Mon 2 (10), Tue 3 (11), Wed 4 (12), Thu 5 (13), Fri 6 (14), Mon 9
  // Nov (15). The deadline is Wed 4 Nov; a report on Fri 6 Nov is late, though in time on the other reading.
  {
    name: 'Stockport: a Rapid Review report for a referral of Wednesday 14 Oct 2026 (notified Monday 19 Oct) is due by the end of Wednesday 4 Nov, so Friday 6 Nov is late',
    clock: 'rr_report_to_panel',
    events: [
      event('referral_received', '2026-10-14T09:00:00Z'),
      rapidReview('2026-10-15T15:00:00Z'),
      event('panel_notified', '2026-10-19T16:00:00Z', { notifiedOn: '2026-10-19' }),
      event('rr_report_submitted', '2026-11-06T12:00:00Z'),
    ],
    now: '2026-11-06T13:00:00Z',
    expected: { state: 'met_late', startedOn: '2026-10-14', dueDate: '2026-11-04', dueAt: '2026-11-05T00:00:00.000Z' },
  },
  // Before the notification only the referral's reading runs: due Wed 4 Nov, due soon 3 working days before
  // (Tue 3, Mon 2 Nov, Fri 30 Oct), from the start of Fri 30 Oct (GMT).
  {
    name: 'Stockport: before the Panel is notified, the Rapid Review report is already due 15 working days from the referral',
    clock: 'rr_report_to_panel',
    events: [event('referral_received', '2026-10-14T09:00:00Z'), rapidReview('2026-10-15T15:00:00Z')],
    now: '2026-10-16T09:00:00Z',
    expected: { state: 'pending', startedOn: '2026-10-14', dueDate: '2026-11-04', dueSoonAt: '2026-10-30T00:00:00.000Z' },
  },
  // The LA notified the Panel on Mon 12 Oct, after a strategy meeting and before the referral of Wed 14 Oct:
  // from the notification, Tue 13 (1) ... Mon 19 (5), ..., Fri 23 (9), Mon 26 (10), Tue 27 (11), Wed 28 (12),
  // Thu 29 (13), Fri 30 (14), Mon 2 Nov (15): the notification's reading is now the stricter.
  {
    name: 'Stockport: a Panel notification of Monday 12 Oct 2026, before the referral of Wednesday 14 Oct, brings the report forward to Monday 2 Nov',
    clock: 'rr_report_to_panel',
    events: [
      event('referral_received', '2026-10-14T09:00:00Z'),
      rapidReview('2026-10-15T15:00:00Z'),
      event('panel_notified', '2026-10-15T16:00:00Z', { notifiedOn: '2026-10-12' }),
    ],
    now: '2026-10-16T09:00:00Z',
    expected: { state: 'pending', startedOn: '2026-10-12', dueDate: '2026-11-02', dueAt: '2026-11-03T00:00:00.000Z' },
  },
  // The report is owed only once the Virtual Panel decides on a Rapid Review.
  {
    name: 'Stockport: a practice review decision owes no Rapid Review report',
    clock: 'rr_report_to_panel',
    events: [
      event('referral_received', '2026-10-14T09:00:00Z'),
      event('notification_decision', '2026-10-15T15:00:00Z', { outcome: 'practice_review' }),
    ],
    now: '2026-10-16T09:00:00Z',
    expected: { state: 'not_applicable' },
  },
];

describeClockExamples('Stockport profile clocks (seed 003)', profile, examples, () => {
  it('Stockport: the 6-month desk-top review does not stop the 12-month desk-top review clock', () => {
    // 003 L226: "a desk top review of all Rapid Review decisions at 6 and 12 months".
    const events = [
      event('notification_decision', '2026-04-01T10:00:00Z', { outcome: 'rapid_review' }),
      event('lcspr_decision', '2026-05-05T10:00:00Z', { commission: true }),
      event('desktop_review_done', '2026-11-02T10:00:00Z', { review: '6m' }),
    ];
    const views = computeClocks(profile, events, new Date('2026-12-01T10:00:00Z'), calendar);
    expect(views.find((v) => v.clockId === 'desktop_review_6m')?.state).toBe('met');
    expect(views.find((v) => v.clockId === 'desktop_review_12m')).toMatchObject({ state: 'pending', dueDate: '2027-05-05' });
  });
});

// #15 item 4: the deadline is the stricter reading, and the other is carried beside it (the card's clock
// line and the dashboard show both). Dates as in the worked examples above.
describe('Stockport: the Rapid Review report shows the other reading beside its deadline', () => {
  const report = (events: Parameters<typeof computeClocks>[1]) =>
    computeClocks(profile, events, new Date('2026-10-20T09:00:00Z'), calendar).find((c) => c.clockId === 'rr_report_to_panel')!;

  it('names the referral reading as the deadline and the notification reading beside it', () => {
    const view = report([
      event('referral_received', '2026-10-14T09:00:00Z'),
      rapidReview('2026-10-15T15:00:00Z'),
      event('panel_notified', '2026-10-19T16:00:00Z', { notifiedOn: '2026-10-19' }),
    ]);
    expect(view.reads).toBe('within 15 working days of the referral being received');
    expect(view.otherReading).toEqual({ reads: '15 working days from notification', dueDate: '2026-11-09' });
    expect(describeClock(view)).toBe(
      'Rapid review report to the Panel due by the end of Wed 4 Nov (within 15 working days of the referral being received; 15 working days from notification: Mon 9 Nov)',
    );
  });

  it('says the notification reading has not started before the notification', () => {
    const view = report([event('referral_received', '2026-10-14T09:00:00Z'), rapidReview('2026-10-15T15:00:00Z')]);
    expect(view.otherReading).toEqual({ reads: '15 working days from notification' });
    expect(describeClock(view)).toContain('15 working days from notification: not started yet');
  });

  it('follows the notification when it is the earlier, with the referral reading beside it', () => {
    const view = report([
      event('referral_received', '2026-10-14T09:00:00Z'),
      rapidReview('2026-10-15T15:00:00Z'),
      event('panel_notified', '2026-10-15T16:00:00Z', { notifiedOn: '2026-10-12' }),
    ]);
    expect(view.dueDate).toBe('2026-11-02');
    expect(view.reads).toBe('15 working days from notification');
    expect(view.otherReading).toEqual({ reads: 'within 15 working days of the referral being received', dueDate: '2026-11-04' });
  });
});
