// Worked examples for every clock of the HSSCP (default) profile, each written out from seed 000
// (/work/shared/seeds/000_1bc12db849b0550e.txt, HSSCP Review Protocol, Oct 2024). Dates are worked by
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

const profile = loadShippedProfile('src/profiles/hsscp.json');

const notify = event('notification_decision', '2026-10-19T08:00:00Z', { outcome: 'notify' });

const examples: Example[] = [
  // 000 L42: "Within two working days of the Serious Incident Notification Request Form being received,
  // HSSCP will convene a teleconference in which the HSSCP Delegated Safeguarding Partners (DSPs) will ...
  // make a collective decision". Thu 24 Dec + 2 working days skips Christmas (Fri), the weekend and the
  // Boxing Day substitute (Mon 28): Tue 29 is day 1, Wed 30 day 2.
  {
    name: 'HSSCP: the DSP decision on a referral received Thursday 24 Dec 2026 is due by the end of Wednesday 30 Dec',
    clock: 'dsp_decision',
    events: [event('referral_received', '2026-12-24T10:00:00Z')],
    now: '2026-12-30T09:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2026-12-24',
      dueDate: '2026-12-30',
      dueAt: '2026-12-31T00:00:00.000Z',
      dueSoonAt: '2026-12-30T00:00:00.000Z',
      escalations: [{ at: '2026-12-31T00:00:00.000Z', notify: ['business_manager', 'partnership_chair'], reached: false }],
    },
  },
  // 000 L42 (as above). Across a weekend: Fri 6 Nov 2026 + 2 working days = Tue 10 Nov.
  {
    name: 'HSSCP: a DSP decision on Tuesday 10 Nov for a referral received Friday 6 Nov 2026 is on time',
    clock: 'dsp_decision',
    events: [
      event('referral_received', '2026-11-06T15:00:00Z'),
      event('notification_decision', '2026-11-10T16:00:00Z', { outcome: 'notify' }),
    ],
    now: '2026-11-12T09:00:00Z',
    expected: { state: 'met', dueDate: '2026-11-10', dueAt: '2026-11-11T00:00:00.000Z' },
  },
  // 000 L42 (as above): a decision on Wed 11 Nov is a day late.
  {
    name: 'HSSCP: a DSP decision on Wednesday 11 Nov for a referral received Friday 6 Nov 2026 is late',
    clock: 'dsp_decision',
    events: [
      event('referral_received', '2026-11-06T15:00:00Z'),
      event('notification_decision', '2026-11-11T09:00:00Z', { outcome: 'do_not_notify' }),
    ],
    now: '2026-11-12T09:00:00Z',
    expected: { state: 'met_late', dueDate: '2026-11-10' },
  },
  // 000 L42, and the profile's escalation: the business manager and the partnership chair are told the
  // moment the decision is overdue (midnight at the end of Tue 10 Nov 2026, GMT).
  {
    name: 'HSSCP: with no DSP decision by midnight after Tuesday 10 Nov 2026 the clock is overdue and the business manager and partnership chair are told',
    clock: 'dsp_decision',
    events: [event('referral_received', '2026-11-06T15:00:00Z')],
    now: '2026-11-11T00:00:00Z',
    expected: {
      state: 'overdue',
      escalations: [{ at: '2026-11-11T00:00:00.000Z', notify: ['business_manager', 'partnership_chair'], reached: true }],
    },
  },
  // 000 L42. A form arriving at 23:30Z on Thu 16 Jul 2026 arrived at 00:30 BST on Fri 17 Jul: the London
  // date counts, so the decision is due Tue 21 Jul (not Mon 20), by 23:00Z.
  {
    name: 'HSSCP: a referral received at 23:30Z on Thursday 16 Jul 2026 (Friday in London) has its DSP decision due by the end of Tuesday 21 Jul',
    clock: 'dsp_decision',
    events: [event('referral_received', '2026-07-16T23:30:00Z')],
    now: '2026-07-20T12:00:00Z',
    expected: { state: 'pending', startedOn: '2026-07-17', dueDate: '2026-07-21', dueAt: '2026-07-21T23:00:00.000Z' },
  },
  // 000 L42. Across the spring DST change (Sun 29 Mar 2026): Fri 27 Mar + 2 = Tue 31 Mar, whose end is
  // 23:00Z in BST. At 22:59Z the decision is due today; at 23:00Z it is overdue.
  {
    name: 'HSSCP: a referral received Friday 27 Mar 2026 has its DSP decision due by the end of Tuesday 31 Mar, in BST',
    clock: 'dsp_decision',
    events: [event('referral_received', '2026-03-27T11:00:00Z')],
    now: '2026-03-31T22:59:00Z',
    expected: { state: 'due_soon', dueDate: '2026-03-31', dueAt: '2026-03-31T23:00:00.000Z', dueSoonAt: '2026-03-30T23:00:00.000Z' },
  },
  {
    name: 'HSSCP: at 23:00Z on Tuesday 31 Mar 2026 (midnight BST) the undecided DSP decision is overdue',
    clock: 'dsp_decision',
    events: [event('referral_received', '2026-03-27T11:00:00Z')],
    now: '2026-03-31T23:00:00Z',
    expected: { state: 'overdue' },
  },

  // 000 L38: "It should do so within five working days of becoming aware it has occurred." The LA became
  // aware on Mon 19 Oct 2026 (BST); 5 working days later is Mon 26 Oct, after the clocks go back on Sun
  // 25 Oct, so the end of the day is midnight GMT. Due soon from the start of Fri 23 Oct (BST).
  {
    name: 'HSSCP: the LA, aware on Monday 19 Oct 2026, must notify the Panel by the end of Monday 26 Oct (GMT after the clocks go back)',
    clock: 'panel_notification',
    events: [event('la_aware', '2026-10-19T10:00:00Z', { awareOn: '2026-10-19' }), notify],
    now: '2026-10-26T10:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2026-10-19',
      dueDate: '2026-10-26',
      dueAt: '2026-10-27T00:00:00.000Z',
      dueSoonAt: '2026-10-22T23:00:00.000Z',
      escalations: [{ at: '2026-10-27T00:00:00.000Z', notify: ['dsp'], reached: false }],
    },
  },
  {
    name: 'HSSCP: the Panel notification is still pending on Thursday 22 Oct 2026, the day before it falls due soon',
    clock: 'panel_notification',
    events: [event('la_aware', '2026-10-19T10:00:00Z', { awareOn: '2026-10-19' }), notify],
    now: '2026-10-22T12:00:00Z',
    expected: { state: 'pending' },
  },
  {
    name: 'HSSCP: a Panel notification confirmed on Monday 26 Oct 2026 is on time',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-10-19T10:00:00Z', { awareOn: '2026-10-19' }),
      notify,
      event('panel_notified', '2026-10-26T15:00:00Z', { notifiedOn: '2026-10-26' }),
    ],
    now: '2026-10-27T09:00:00Z',
    expected: { state: 'met' },
  },
  // 000 L38 and the profile's escalation: missed, the DSPs are told.
  {
    name: 'HSSCP: a Panel notification missing at midnight after Monday 26 Oct 2026 is overdue and the DSPs are told',
    clock: 'panel_notification',
    events: [event('la_aware', '2026-10-19T10:00:00Z', { awareOn: '2026-10-19' }), notify],
    now: '2026-10-27T00:00:00Z',
    expected: { state: 'overdue', escalations: [{ at: '2026-10-27T00:00:00.000Z', notify: ['dsp'], reached: true }] },
  },
  // 000 L50: "Where the decision is reached that a notification will not be made, HSSCP will reply to the
  // referrer". No notification is owed.
  {
    name: 'HSSCP: when the DSPs decide not to notify, the Panel notification clock does not apply',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-10-19T10:00:00Z', { awareOn: '2026-10-19' }),
      event('notification_decision', '2026-10-19T12:00:00Z', { outcome: 'do_not_notify' }),
    ],
    now: '2026-10-27T09:00:00Z',
    expected: { state: 'not_applicable' },
  },
  {
    name: 'HSSCP: before the DSPs decide, the Panel notification clock has not started',
    clock: 'panel_notification',
    events: [event('la_aware', '2026-10-19T10:00:00Z', { awareOn: '2026-10-19' })],
    now: '2026-10-20T09:00:00Z',
    expected: { state: 'not_started' },
  },

  // When the LA became aware (issue #15 item 1). Christmas 2027 falls on a Saturday: the Christmas Day
  // and Boxing Day substitutes are Mon 27 and Tue 28 Dec; New Year's Day 2028 is a Saturday, its
  // substitute Mon 3 Jan 2028.
  // 000 L42, "within two working days of the ... Form being received": an emailed form is received when
  // the email arrived, Thu 23 Dec 2027 (the referral_received event's instant), not when the business
  // manager completed it from the triage card on Wed 29 Dec. Fri 24 Dec (1); 25-28 Dec skipped (the
  // weekend and both substitutes); Wed 29 Dec (2). Counting from the form's completion would give Fri 31.
  {
    name: 'HSSCP: an emailed referral that arrived Thursday 23 Dec 2027 has its DSP decision due by the end of Wednesday 29 Dec, not Friday 31 Dec',
    clock: 'dsp_decision',
    events: [event('referral_received', '2027-12-23T10:15:00Z', { referralType: 'serious_incident_notification', via: 'email' })],
    now: '2027-12-29T09:00:00Z',
    expected: { state: 'due_soon', startedOn: '2027-12-23', dueDate: '2027-12-29', dueAt: '2027-12-30T00:00:00.000Z' },
  },
  // 000 L38, "within five working days of becoming aware": the same email, no earlier date given, so the
  // LA was aware on Thu 23 Dec 2027 (the receipt). Fri 24 (1), Wed 29 (2), Thu 30 (3), Fri 31 (4); Sat 1,
  // Sun 2 and Mon 3 Jan (the New Year substitute) skipped; Tue 4 Jan 2028 (5). From the form's completion
  // (Wed 29 Dec) it would be Thu 6 Jan.
  {
    name: 'HSSCP: the LA, aware when the email arrived on Thursday 23 Dec 2027, must notify the Panel by the end of Tuesday 4 Jan 2028, not Thursday 6 Jan',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2027-12-23T10:15:00Z', { awareOn: '2027-12-23', basis: 'referral_received' }),
      event('notification_decision', '2027-12-29T15:00:00Z', { outcome: 'notify' }),
    ],
    now: '2027-12-29T16:00:00Z',
    expected: { state: 'pending', startedOn: '2027-12-23', dueDate: '2028-01-04', dueAt: '2028-01-05T00:00:00.000Z' },
  },
  // 000 L38 and seed 002 L6-10 (the strategy meeting decides the criteria are met, then the form is
  // sent): the strategy meeting was on Fri 12 Mar 2027, two working days before the referral arrived on
  // Tue 16 Mar (Mon 15 is one working day before). The form gives that date, and the five working days
  // count from it: Mon 15, Tue 16, Wed 17, Thu 18, Fri 19 Mar. From the receipt it would be Tue 23 Mar.
  {
    name: 'HSSCP: the LA, aware at a strategy meeting on Friday 12 Mar 2027 before the referral of Tuesday 16 Mar, must notify the Panel by the end of Friday 19 Mar',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2027-03-16T10:00:00Z', { awareOn: '2027-03-12', basis: 'referral_form' }),
      event('notification_decision', '2027-03-17T11:00:00Z', { outcome: 'notify' }),
    ],
    now: '2027-03-17T12:00:00Z',
    expected: { state: 'pending', startedOn: '2027-03-12', dueDate: '2027-03-19', dueAt: '2027-03-20T00:00:00.000Z' },
  },
  // A correction is a later la_aware event, and the latest holds, whichever way it moves the date: aware
  // Thu 23 Dec 2027 at receipt, corrected on Wed 29 Dec to Wed 22 Dec (the day of a strategy meeting).
  // From Wed 22: Thu 23 (1), Fri 24 (2), Wed 29 (3), Thu 30 (4), Fri 31 Dec (5), earlier than Tue 4 Jan.
  {
    name: 'HSSCP: awareness corrected to Wednesday 22 Dec 2027 moves the Panel notification earlier, to the end of Friday 31 Dec',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2027-12-23T10:15:00Z', { awareOn: '2027-12-23', basis: 'referral_received' }),
      event('notification_decision', '2027-12-29T15:00:00Z', { outcome: 'notify' }),
      event('la_aware', '2027-12-29T16:00:00Z', { awareOn: '2027-12-22', basis: 'correction', previousAwareOn: '2027-12-23' }),
    ],
    now: '2027-12-29T16:30:00Z',
    expected: { state: 'pending', startedOn: '2027-12-22', dueDate: '2027-12-31', dueAt: '2028-01-01T00:00:00.000Z' },
  },
  // ... and a second correction back to the receipt (a mistake put right) moves it later again: the
  // latest event counts, not the earliest date.
  {
    name: 'HSSCP: a later correction back to Thursday 23 Dec 2027 holds over the earlier one: the Panel notification is due by the end of Tuesday 4 Jan 2028',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2027-12-23T10:15:00Z', { awareOn: '2027-12-23', basis: 'referral_received' }),
      event('notification_decision', '2027-12-29T15:00:00Z', { outcome: 'notify' }),
      event('la_aware', '2027-12-29T16:00:00Z', { awareOn: '2027-12-22', basis: 'correction', previousAwareOn: '2027-12-23' }),
      event('la_aware', '2027-12-30T09:00:00Z', { awareOn: '2027-12-23', basis: 'correction', previousAwareOn: '2027-12-22' }),
    ],
    now: '2027-12-30T10:00:00Z',
    expected: { state: 'pending', startedOn: '2027-12-23', dueDate: '2028-01-04' },
  },
  // 000 L38: a notification made on Mon 15 Mar 2027, after the strategy meeting of Fri 12 Mar and before
  // the referral reached HSSCP on Tue 16 Mar, is on time (due Fri 19 Mar).
  {
    name: 'HSSCP: a Panel notification made on Monday 15 Mar 2027, before the referral but after the LA became aware on Friday 12 Mar, is on time',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2027-03-16T10:00:00Z', { awareOn: '2027-03-12', basis: 'referral_form' }),
      event('notification_decision', '2027-03-17T11:00:00Z', { outcome: 'notify' }),
      event('panel_notified', '2027-03-17T12:00:00Z', { notifiedOn: '2027-03-15' }),
    ],
    now: '2027-03-17T13:00:00Z',
    expected: { state: 'met', dueDate: '2027-03-19' },
  },

  // 000 L64: "Safeguarding Partners have 15 working days from the date of notification to informing the
  // National Panel of the Rapid Review decision." Notified Wed 9 Dec 2026 (confirmed to HSSCP on Fri 11
  // Dec): day 11 is Thu 24 Dec, then 29, 30, 31 Dec and day 15 is Mon 4 Jan 2027 (Christmas, the Boxing
  // Day substitute and New Year skipped). Due soon 3 working days before: from Tue 29 Dec.
  {
    name: 'HSSCP: the Rapid Review report for a notification made Wednesday 9 Dec 2026 is due by the end of Monday 4 Jan 2027',
    clock: 'rr_report_to_panel',
    events: [event('panel_notified', '2026-12-11T09:00:00Z', { notifiedOn: '2026-12-09' })],
    now: '2026-12-29T09:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2026-12-09',
      dueDate: '2027-01-04',
      dueAt: '2027-01-05T00:00:00.000Z',
      dueSoonAt: '2026-12-29T00:00:00.000Z',
    },
  },
  {
    name: 'HSSCP: on Christmas Eve 2026 the Rapid Review report due 4 Jan is still pending',
    clock: 'rr_report_to_panel',
    events: [event('panel_notified', '2026-12-11T09:00:00Z', { notifiedOn: '2026-12-09' })],
    now: '2026-12-24T12:00:00Z',
    expected: { state: 'pending' },
  },
  // 000 L93: "This is submitted to the National Panel within 15 working days of the serious incident
  // notification." Across Easter 2027: notified Thu 11 Mar; day 10 is Thu 25 Mar, Good Friday and Easter
  // Monday are skipped, day 15 is Mon 5 Apr (BST). 22:30Z on 5 Apr is 23:30 BST, still on time.
  {
    name: 'HSSCP: a Rapid Review report sent at 23:30 BST on Monday 5 Apr 2027 for a notification of Thursday 11 Mar is on time',
    clock: 'rr_report_to_panel',
    events: [
      event('panel_notified', '2027-03-11T16:00:00Z', { notifiedOn: '2027-03-11' }),
      event('rr_report_submitted', '2027-04-05T22:30:00Z'),
    ],
    now: '2027-04-06T09:00:00Z',
    expected: { state: 'met', dueDate: '2027-04-05', dueAt: '2027-04-05T23:00:00.000Z' },
  },
  {
    name: 'HSSCP: a Rapid Review report sent at 00:30 BST on Tuesday 6 Apr 2027 for a notification of Thursday 11 Mar is late',
    clock: 'rr_report_to_panel',
    events: [
      event('panel_notified', '2027-03-11T16:00:00Z', { notifiedOn: '2027-03-11' }),
      event('rr_report_submitted', '2027-04-05T23:30:00Z'),
    ],
    now: '2027-04-06T09:00:00Z',
    expected: { state: 'met_late' },
  },

  // 000 L93: "The National Panel will aim to respond to the submission ... within 15 working days."
  // Submitted Mon 4 Jan 2027: day 15 is Mon 25 Jan.
  {
    name: 'HSSCP: the National Panel aims to answer a Rapid Review submitted Monday 4 Jan 2027 by the end of Monday 25 Jan',
    clock: 'panel_response',
    events: [event('rr_report_submitted', '2027-01-04T14:00:00Z')],
    now: '2027-01-26T09:00:00Z',
    expected: { state: 'overdue', dueDate: '2027-01-25', dueAt: '2027-01-26T00:00:00.000Z' },
  },
  {
    name: 'HSSCP: a National Panel answer on Wednesday 20 Jan 2027 meets its 15-working-day aim',
    clock: 'panel_response',
    events: [event('rr_report_submitted', '2027-01-04T14:00:00Z'), event('panel_response_received', '2027-01-20T11:00:00Z')],
    now: '2027-01-26T09:00:00Z',
    expected: { state: 'met' },
  },

  // 000 L128: "A copy of the full report is shared with the national panel and to the Secretary of State
  // no later than seven working days before the date of publication." Publication Tue 6 Apr 2027: counting
  // back, Mon 5 Apr, Fri 2, Thu 1, Wed 31 Mar, Tue 30, then Easter Monday, the weekend and Good Friday are
  // skipped, Thu 25 (6) and Wed 24 Mar (7). The date was first planned for 30 Jun; the latest plan counts.
  {
    name: 'HSSCP: copies for a publication replanned to Tuesday 6 Apr 2027 are due by the end of Wednesday 24 Mar, counting back over Easter',
    clock: 'lcspr_copy_before_publication',
    events: [
      event('publication_planned', '2027-02-01T10:00:00Z', { plannedDate: '2027-06-30' }),
      event('publication_planned', '2027-03-01T10:00:00Z', { plannedDate: '2027-04-06' }),
    ],
    now: '2027-03-22T10:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2027-04-06',
      dueDate: '2027-03-24',
      dueAt: '2027-03-25T00:00:00.000Z',
      dueSoonAt: '2027-03-19T00:00:00.000Z',
    },
  },
  {
    name: 'HSSCP: copies sent on Wednesday 24 Mar 2027 for publication on Tuesday 6 Apr are on time',
    clock: 'lcspr_copy_before_publication',
    events: [
      event('publication_planned', '2027-03-01T10:00:00Z', { plannedDate: '2027-04-06' }),
      event('report_copies_sent', '2027-03-24T16:00:00Z'),
    ],
    now: '2027-03-26T10:00:00Z',
    expected: { state: 'met' },
  },
  // 000 L128. Across a weekend: publication Mon 14 Dec 2026 → 7 working days before is Thu 3 Dec.
  {
    name: 'HSSCP: copies for a publication on Monday 14 Dec 2026 are due by the end of Thursday 3 Dec',
    clock: 'lcspr_copy_before_publication',
    events: [event('publication_planned', '2026-11-02T10:00:00Z', { plannedDate: '2026-12-14' })],
    now: '2026-12-04T09:00:00Z',
    expected: { state: 'overdue', dueDate: '2026-12-03', dueAt: '2026-12-04T00:00:00.000Z' },
  },

  // 000 L126: "Reports should be published 6 months following the decision to initiate the review".
  // Decided Tue 20 Oct 2026 (BST) → Tue 20 Apr 2027 (BST again).
  {
    name: 'HSSCP: a review commissioned Tuesday 20 Oct 2026 published on Tuesday 20 Apr 2027 is on time',
    clock: 'lcspr_publication',
    events: [
      event('lcspr_decision', '2026-10-20T14:00:00Z', { commission: true }),
      event('published', '2027-04-20T10:00:00Z', { publishedOn: '2027-04-20' }),
    ],
    now: '2027-04-21T10:00:00Z',
    expected: { state: 'met', dueDate: '2027-04-20', dueAt: '2027-04-20T23:00:00.000Z' },
  },
  // 000 L126. A decision recorded at 23:30Z on Wed 30 Sep 2026 was taken on Thu 1 Oct in London: six
  // months later is Thu 1 Apr 2027.
  {
    name: 'HSSCP: a review commissioned at 23:30Z on Wednesday 30 Sep 2026 (1 Oct in London) must be published by the end of Thursday 1 Apr 2027',
    clock: 'lcspr_publication',
    events: [event('lcspr_decision', '2026-09-30T23:30:00Z', { commission: true })],
    now: '2027-02-01T10:00:00Z',
    expected: { state: 'pending', startedOn: '2026-10-01', dueDate: '2027-04-01', dueAt: '2027-04-01T23:00:00.000Z' },
  },
  // 000 L126. Calendar months clamp at the month's end: 31 Aug 2026 + 6 months = 28 Feb 2027.
  {
    name: 'HSSCP: a review commissioned Monday 31 Aug 2026 must be published by the end of Sunday 28 Feb 2027',
    clock: 'lcspr_publication',
    events: [event('lcspr_decision', '2026-08-31T09:00:00Z', { commission: true })],
    now: '2027-02-10T10:00:00Z',
    expected: { state: 'due_soon', dueDate: '2027-02-28', dueAt: '2027-03-01T00:00:00.000Z' },
  },
  // 000 L77: the Executive decide "whether or not the criteria ... has been met and will be commissioned".
  {
    name: 'HSSCP: when the Executive do not commission a review there is no publication clock',
    clock: 'lcspr_publication',
    events: [event('lcspr_decision', '2026-10-20T14:00:00Z', { commission: false })],
    now: '2027-05-01T10:00:00Z',
    expected: { state: 'not_applicable' },
  },

  ...agencyReturnExamples('HSSCP'),
  ...reviewGroupActionExamples('HSSCP'),
  ...deviationExamples('HSSCP'),
  ...lookedAfterExamples('HSSCP'),
];

describeClockExamples('HSSCP profile clocks (seed 000)', profile, examples);
