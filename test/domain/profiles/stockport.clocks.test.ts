// Worked examples for every clock of the Stockport profile, each written out from seed 003
// (/work/shared/seeds/003_b597e1f2605121b5.txt, SSCP Rapid Review Process v3.0). Dates are worked by
// hand on the England-and-Wales calendar: Christmas 2026 is Fri 25 Dec with the Boxing Day substitute
// on Mon 28 Dec and New Year on Fri 1 Jan 2027; Easter 2027 is Good Friday 26 Mar and Easter Monday
// 29 Mar; BST runs from 29 Mar 2026 to 25 Oct 2026 and from 28 Mar 2027 to 31 Oct 2027.
// "Within N working days of X" is due by the end of the Nth working day after X's London date; dueAt
// is the London midnight after the due date.
import { expect, it } from 'vitest';

import { computeClocks } from '../../../src/domain/clocks/computeClocks.ts';
import {
  agencyReturnExamples,
  calendar,
  describeClockExamples,
  event,
  type Example,
  loadShippedProfile,
  reviewGroupActionExamples,
} from '../../support/clockExamples.ts';

const profile = loadShippedProfile('src/profiles/stockport.json');

const rapidReview = (instant: string) => event('notification_decision', instant, { outcome: 'rapid_review' });

const examples: Example[] = [
  // 003 L146: "Stockport Local Authority ... will notify the National Panel within five working days of
  // becoming aware of the incident via the online reporting portal." Aware Wed 25 Mar 2026 (GMT): Thu 26,
  // Fri 27, then the clocks go forward; Mon 30, Tue 31, Wed 1 Apr (BST) is day 5.
  {
    name: 'Stockport: the LA, aware on Wednesday 25 Mar 2026, must notify the Panel by the end of Wednesday 1 Apr (BST)',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-03-25T10:00:00Z'),
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
      event('la_aware', '2026-03-25T10:00:00Z'),
      event('notification_decision', '2026-03-25T15:00:00Z', { outcome: 'practice_review' }),
    ],
    now: '2026-04-02T09:00:00Z',
    expected: { state: 'not_applicable' },
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
    name: 'Stockport: while the Virtual Panel has sent queries back to the referrer, no information request is owed',
    clock: 'info_requests_sent',
    events: [event('notification_decision', '2026-12-01T10:00:00Z', { outcome: 'queries_to_referrer' })],
    now: '2026-12-10T10:00:00Z',
    expected: { state: 'not_applicable' },
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
  // and submit a report" (L89 says "of the referral being received"; the notification is used). Notified
  // Tue 20 Oct 2026 (confirmed Wed 21), across the autumn clock change: day 15 is Tue 10 Nov.
  {
    name: 'Stockport: a Rapid Review report sent Tuesday 10 Nov 2026 for a notification of Tuesday 20 Oct is on time',
    clock: 'rr_report_to_panel',
    events: [
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
  ...reviewGroupActionExamples('Stockport'),
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
