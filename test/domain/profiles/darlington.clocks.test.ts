// Worked examples for every clock of the Darlington profile, each written out from seed 004
// (/work/shared/seeds/004_16f9e8a1b03dcc50.txt, Darlington Safeguarding Partnership procedure v1.5). Dates are worked by
// hand on the England-and-Wales calendar: Christmas 2026 is Fri 25 Dec with the Boxing Day substitute
// on Mon 28 Dec and New Year on Fri 1 Jan 2027; Easter 2027 is Good Friday 26 Mar and Easter Monday
// 29 Mar; BST runs from 29 Mar 2026 to 25 Oct 2026 and from 28 Mar 2027 to 31 Oct 2027.
// "Within N working days of X" is due by the end of the Nth working day after X's London date; dueAt
// is the London midnight after the due date.
import { expect, it } from 'vitest';

import { alertLadder } from '../../../src/domain/alerts/alertLadder.ts';
import { computeClocks } from '../../../src/domain/clocks/computeClocks.ts';
import {
  agencyReturnExamples,
  calendar,
  describeClockExamples,
  event,
  type Example,
  loadShippedProfile,
} from '../../support/clockExamples.ts';
import { deviationExamples } from '../../support/deviationExamples.ts';
import { lookedAfterExamples } from '../../support/lookedAfterExamples.ts';

const profile = loadShippedProfile('src/profiles/darlington.json');

const acknowledged = event('panel_acknowledged', '2027-03-18T11:00:00Z');
const extendedLate = [
  event('action_set', '2026-11-01T10:00:00Z', { itemId: 'A1', agency: 'police', deadline: '2027-01-29' }),
  event('action_set', '2027-05-10T09:00:00Z', { itemId: 'A1', agency: 'police', deadline: '2027-08-27' }),
];

const examples: Example[] = [
  // 004 s.4.6 L118: "The Safeguarding Partnership's Business Manager will record the information and
  // inform the Statutory Safeguarding Partners within 1 working day." Received Fri 6 Nov 2026 at 17:00:
  // over the weekend, due Mon 9 Nov.
  {
    name: 'Darlington: partners told on Monday 9 Nov 2026 of a referral received Friday 6 Nov are told on time',
    clock: 'partners_told',
    events: [event('referral_received', '2026-11-06T17:00:00Z'), event('partners_told', '2026-11-09T09:00:00Z')],
    now: '2026-11-10T09:00:00Z',
    expected: { state: 'met', dueDate: '2026-11-09', dueAt: '2026-11-10T00:00:00.000Z' },
  },
  // 004 s.4.6 L118 (as above). A referral at 23:30Z on Thu 4 Jun 2026 arrived at 00:30 BST on Fri 5 Jun:
  // the partners must be told by the end of Mon 8 Jun (23:00Z), not Fri 5 Jun.
  {
    name: 'Darlington: a referral received at 23:30Z on Thursday 4 Jun 2026 (Friday in London) must reach the partners by the end of Monday 8 Jun',
    clock: 'partners_told',
    events: [event('referral_received', '2026-06-04T23:30:00Z')],
    now: '2026-06-08T10:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2026-06-05',
      dueDate: '2026-06-08',
      dueAt: '2026-06-08T23:00:00.000Z',
      dueSoonAt: '2026-06-07T23:00:00.000Z',
    },
  },

  // 004 s.5.1 L123: "The Local Authority is required to report a serious child safeguarding incident to the
  // Statutory Safeguarding Partners within 1 working day of becoming aware". Aware Thu 24 Dec 2026: the
  // next working day is Tue 29 Dec.
  {
    name: 'Darlington: the LA, aware on Thursday 24 Dec 2026, had to report to the partners by the end of Tuesday 29 Dec',
    clock: 'la_report_to_partners',
    events: [event('la_aware', '2026-12-24T15:00:00Z', { awareOn: '2026-12-24' })],
    now: '2026-12-30T09:00:00Z',
    expected: { state: 'overdue', dueDate: '2026-12-29', dueAt: '2026-12-30T00:00:00.000Z' },
  },
  // 004 s.5.1 (as above): the referral reached the Business Unit on Fri 23 Oct 2026, and the business
  // manager then corrected the awareness to Thu 22 Oct (a strategy meeting): the latest la_aware event
  // holds, and 1 working day after Thu 22 Oct is Fri 23 Oct, not Mon 26 Oct.
  {
    name: 'Darlington: awareness corrected to Thursday 22 Oct 2026 puts the LA report to the partners due by the end of Friday 23 Oct',
    clock: 'la_report_to_partners',
    events: [
      event('la_aware', '2026-10-23T09:00:00Z', { awareOn: '2026-10-23', basis: 'referral_received' }),
      event('la_aware', '2026-10-23T11:00:00Z', { awareOn: '2026-10-22', basis: 'correction', previousAwareOn: '2026-10-23' }),
    ],
    now: '2026-10-23T12:00:00Z',
    expected: { state: 'due_soon', startedOn: '2026-10-22', dueDate: '2026-10-23', dueAt: '2026-10-23T23:00:00.000Z' },
  },

  // 004 s.4.6 L118: "The Statutory Safeguarding Partners/Independent Scrutineer/Chair will meet within 5
  // working days of receipt of the notification to consider the case." Received Mon 21 Dec 2026: Tue 22,
  // Wed 23, Thu 24, Tue 29, Wed 30 Dec. At midnight after Wed 30 Dec the decision is overdue and the
  // business manager and the Independent Scrutineer/Chair are told.
  {
    name: 'Darlington: with no SSP decision by midnight after Wednesday 30 Dec 2026 on a referral of Monday 21 Dec, the business manager and the Independent Scrutineer are told',
    clock: 'dsp_decision',
    events: [event('referral_received', '2026-12-21T10:00:00Z')],
    now: '2026-12-31T00:00:00Z',
    expected: {
      state: 'overdue',
      dueDate: '2026-12-30',
      dueAt: '2026-12-31T00:00:00.000Z',
      escalations: [{ at: '2026-12-31T00:00:00.000Z', notify: ['business_manager', 'partnership_chair'], reached: true }],
    },
  },
  // 004 s.4.6 L118 (as above). Across the spring clock change: received Tue 24 Mar 2026, day 5 is Tue 31
  // Mar (BST); a decision at 23:00 BST that day is on time.
  {
    name: 'Darlington: an SSP decision at 23:00 BST on Tuesday 31 Mar 2026 on a referral of Tuesday 24 Mar is on time',
    clock: 'dsp_decision',
    events: [
      event('referral_received', '2026-03-24T10:00:00Z'),
      event('notification_decision', '2026-03-31T22:00:00Z', { outcome: 'notify' }),
    ],
    now: '2026-04-01T09:00:00Z',
    expected: { state: 'met', dueDate: '2026-03-31', dueAt: '2026-03-31T23:00:00.000Z' },
  },

  // 004 s.5.2 L124: "the Local Authority has a statutory duty ... to refer all serious child safeguarding
  // incidents to the Child Safeguarding Practice Review Panel within 5 working days of becoming aware".
  // Aware Fri 23 Oct 2026 (BST): day 5 is Fri 30 Oct (GMT), so 23:30Z is still 30 Oct in London.
  {
    name: 'Darlington: a notification at 23:30 GMT on Friday 30 Oct 2026 by an LA aware since Friday 23 Oct is on time',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-10-23T09:00:00Z', { awareOn: '2026-10-23' }),
      event('notification_decision', '2026-10-27T14:00:00Z', { outcome: 'notify' }),
      event('panel_notified', '2026-10-30T23:30:00Z', { notifiedOn: '2026-10-30' }),
    ],
    now: '2026-10-31T09:00:00Z',
    expected: {
      state: 'met',
      dueDate: '2026-10-30',
      dueAt: '2026-10-31T00:00:00.000Z',
      escalations: [{ at: '2026-10-31T00:00:00.000Z', notify: ['dsp'], reached: false }],
    },
  },
  // 004 s.5.2 (as above), with the same correction to Thu 22 Oct 2026: Fri 23 (1), Mon 26 (2), Tue 27
  // (3), Wed 28 (4), Thu 29 Oct (5), a day earlier than from the receipt (Fri 30 Oct).
  {
    name: 'Darlington: awareness corrected to Thursday 22 Oct 2026 moves the Panel notification earlier, to the end of Thursday 29 Oct',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-10-23T09:00:00Z', { awareOn: '2026-10-23', basis: 'referral_received' }),
      event('la_aware', '2026-10-23T11:00:00Z', { awareOn: '2026-10-22', basis: 'correction', previousAwareOn: '2026-10-23' }),
      event('notification_decision', '2026-10-27T14:00:00Z', { outcome: 'notify' }),
    ],
    now: '2026-10-27T15:00:00Z',
    expected: { state: 'pending', startedOn: '2026-10-22', dueDate: '2026-10-29', dueAt: '2026-10-30T00:00:00.000Z' },
  },
  // 004 s.5.5: not notifiable but with learning: "refer the case to the Learning and Development Group Chair".
  {
    name: 'Darlington: a case referred to the Learning and Development Group owes no Panel notification',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-10-23T09:00:00Z', { awareOn: '2026-10-23' }),
      event('notification_decision', '2026-10-27T14:00:00Z', { outcome: 'refer_to_learning_group' }),
    ],
    now: '2026-10-31T09:00:00Z',
    expected: { state: 'not_applicable' },
  },

  // 004 s.5.7 L129: "the Local Authority will feedback to the referrer the outcome of the notification within
  // 5 working days of the decision being made." Decided Wed 23 Dec 2026: Thu 24, Tue 29, Wed 30, Thu 31
  // Dec, Mon 4 Jan 2027.
  {
    name: 'Darlington: a referrer told on Tuesday 5 Jan 2027 of a decision made Wednesday 23 Dec 2026 is told late',
    clock: 'referrer_told_outcome',
    events: [
      event('notification_decision', '2026-12-23T16:00:00Z', { outcome: 'no_further_action' }),
      event('referrer_told_outcome', '2027-01-05T09:00:00Z'),
    ],
    now: '2027-01-05T12:00:00Z',
    expected: { state: 'met_late', dueDate: '2027-01-04', dueAt: '2027-01-05T00:00:00.000Z' },
  },

  // 004 s.6.2 L138: "every effort will be made for a meeting to take place within 7-10 working days".
  // Acknowledged Thu 18 Mar 2027: over Easter, day 7 is Wed 31 Mar and day 10 is Mon 5 Apr (BST).
  {
    name: 'Darlington: a Rapid Review Panel on Thursday 1 Apr 2027 after an acknowledgement of Thursday 18 Mar meets the 7-10 working-day target',
    clock: 'rr_meeting',
    events: [acknowledged, event('rr_meeting_held', '2027-04-01T09:00:00Z')],
    now: '2027-04-02T09:00:00Z',
    expected: { state: 'met', earliestDate: '2027-03-31', dueDate: '2027-04-05', dueAt: '2027-04-05T23:00:00.000Z' },
  },
  {
    name: 'Darlington: with no Rapid Review Panel by Thursday 8 Apr 2027 the 7-10 working-day target is missed',
    clock: 'rr_meeting',
    events: [acknowledged],
    now: '2027-04-08T09:00:00Z',
    expected: { state: 'overdue' },
  },
  // 004 s.6.2 L138: "The Rapid Review Panel should be convened within 15 working days of the
  // acknowledgement of the receipt of the notification". Day 15 is Mon 12 Apr 2027; due soon from Wed 7.
  {
    name: 'Darlington: the Rapid Review Panel must meet at the latest by the end of Monday 12 Apr 2027 after an acknowledgement of Thursday 18 Mar',
    clock: 'rr_meeting_latest',
    events: [acknowledged],
    now: '2027-04-08T09:00:00Z',
    expected: { state: 'due_soon', dueDate: '2027-04-12', dueAt: '2027-04-12T23:00:00.000Z', dueSoonAt: '2027-04-06T23:00:00.000Z' },
  },

  // 004 s.6.10 L158: "The decision ... will be reported to the Child Safeguarding Review Panel within 15
  // working days of the acknowledgement of the receipt of the notification." Day 15 is Mon 12 Apr 2027;
  // sent at 23:30 BST that day, on time.
  {
    name: 'Darlington: a decision reported at 23:30 BST on Monday 12 Apr 2027 after an acknowledgement of Thursday 18 Mar is on time',
    clock: 'rr_report_to_panel',
    events: [acknowledged, event('rr_report_submitted', '2027-04-12T22:30:00Z')],
    now: '2027-04-13T09:00:00Z',
    expected: { state: 'met', startedOn: '2027-03-18', dueDate: '2027-04-12', dueAt: '2027-04-12T23:00:00.000Z' },
  },

  // 004 s.14.7 L284: "no later than seven working days before the date of publication". Publication Fri 8
  // Jan 2027: Thu 7, Wed 6, Tue 5, Mon 4 Jan, (New Year) Thu 31, Wed 30, Tue 29 Dec 2026.
  {
    name: 'Darlington: copies sent Thursday 24 Dec 2026 for publication on Friday 8 Jan 2027 are on time (due by the end of Tuesday 29 Dec)',
    clock: 'lcspr_copy_before_publication',
    events: [
      event('publication_planned', '2026-11-20T10:00:00Z', { plannedDate: '2027-01-08' }),
      event('report_copies_sent', '2026-12-24T11:00:00Z'),
    ],
    now: '2026-12-30T09:00:00Z',
    expected: { state: 'met', dueDate: '2026-12-29', dueAt: '2026-12-30T00:00:00.000Z' },
  },

  // 004 s.15.5 L292: "completed and published as soon as possible and no later than six months from the
  // date of the decision to initiate a review." Decided Mon 30 Mar 2026 (BST) → Wed 30 Sep 2026.
  {
    name: 'Darlington: a review commissioned Monday 30 Mar 2026 and unpublished on Thursday 1 Oct is overdue',
    clock: 'lcspr_publication',
    events: [event('lcspr_decision', '2026-03-30T09:00:00Z', { commission: true })],
    now: '2026-10-01T09:00:00Z',
    expected: { state: 'overdue', dueDate: '2026-09-30', dueAt: '2026-09-30T23:00:00.000Z' },
  },

  // 004 s.9.2 L211: "will inform the relevant Head of Service in cases where actions are not completed three
  // months beyond the specified deadline ... In cases where actions remain outstanding at six months beyond
  // the original deadline, the Chair of the Group will inform the Chief Officer". Deadline Fri 29 Jan 2027:
  // Head of Service at the end of Thu 29 Apr (BST), Chief Officer at the end of Thu 29 Jul.
  {
    name: 'Darlington: an action due Friday 29 Jan 2027 still open on Saturday 1 May is escalated to the Head of Service, not yet to the Chief Officer',
    clock: 'action_plan_item',
    item: 'A1',
    events: [event('action_set', '2026-11-01T10:00:00Z', { itemId: 'A1', deadline: '2027-01-29' })],
    now: '2027-05-01T09:00:00Z',
    expected: {
      state: 'overdue',
      dueDate: '2027-01-29',
      dueAt: '2027-01-30T00:00:00.000Z',
      escalations: [
        { at: '2027-04-29T23:00:00.000Z', notify: ['head_of_service'], reached: true },
        { at: '2027-07-29T23:00:00.000Z', notify: ['chief_officer'], reached: false },
      ],
    },
  },
  {
    name: 'Darlington: an action due Friday 29 Jan 2027 still open on Friday 30 Jul is escalated to the agency Chief Officer',
    clock: 'action_plan_item',
    item: 'A1',
    events: [event('action_set', '2026-11-01T10:00:00Z', { itemId: 'A1', deadline: '2027-01-29' })],
    now: '2027-07-30T09:00:00Z',
    expected: {
      state: 'overdue',
      escalations: [
        { at: '2027-04-29T23:00:00.000Z', notify: ['head_of_service'], reached: true },
        { at: '2027-07-29T23:00:00.000Z', notify: ['chief_officer'], reached: true },
      ],
    },
  },
  // 004 s.9.2 (as above). Months clamp at the month's end: deadline Mon 30 Nov 2026 → Head of Service after
  // Sun 28 Feb 2027 (GMT), Chief Officer after Sun 30 May 2027 (BST).
  {
    name: 'Darlington: an action due Monday 30 Nov 2026 is escalated to the Head of Service after 28 Feb 2027 and to the Chief Officer after 30 May 2027',
    clock: 'action_plan_item',
    item: 'A3',
    events: [event('action_set', '2026-10-01T10:00:00Z', { itemId: 'A3', deadline: '2026-11-30' })],
    now: '2027-03-01T09:00:00Z',
    expected: {
      state: 'overdue',
      escalations: [
        { at: '2027-03-01T00:00:00.000Z', notify: ['head_of_service'], reached: true },
        { at: '2027-05-30T23:00:00.000Z', notify: ['chief_officer'], reached: false },
      ],
    },
  },
  {
    name: 'Darlington: an action due Wednesday 31 Mar 2027 completed on Tuesday 30 Mar is met and never escalated',
    clock: 'action_plan_item',
    item: 'A2',
    events: [
      event('action_set', '2026-11-01T10:00:00Z', { itemId: 'A1', deadline: '2027-01-29' }),
      event('action_set', '2026-11-01T10:05:00Z', { itemId: 'A2', deadline: '2027-03-31' }),
      event('action_completed', '2027-03-30T12:00:00Z', { itemId: 'A2' }),
    ],
    now: '2027-08-01T09:00:00Z',
    expected: {
      state: 'met',
      dueDate: '2027-03-31',
      dueAt: '2027-03-31T23:00:00.000Z',
      escalations: [
        { at: '2027-06-30T23:00:00.000Z', notify: ['head_of_service'], reached: false },
        { at: '2027-09-30T23:00:00.000Z', notify: ['chief_officer'], reached: false },
      ],
    },
  },
  // 004 s.9.2: "An extension to the original deadline should only be agreed in exceptional circumstances
  // and at the request of the Chief Officer." The item set again with its new deadline (Fri 30 Apr 2027) is
  // due then; both escalations still count from the ORIGINAL deadline, Fri 29 Jan 2027: the Head of Service
  // at the end of Thu 29 Apr (BST, 23:00 UTC), the Chief Officer at the end of Thu 29 Jul, not 30 Jul and 30 Oct.
  {
    name: 'Darlington: an action whose deadline is extended to Friday 30 Apr 2027 is due then, and still escalated from its original deadline',
    clock: 'action_plan_item',
    item: 'A1',
    events: [
      event('action_set', '2026-11-01T10:00:00Z', { itemId: 'A1', deadline: '2027-01-29' }),
      event('action_set', '2027-01-20T10:00:00Z', { itemId: 'A1', deadline: '2027-04-30' }),
    ],
    now: '2027-04-01T09:00:00Z',
    expected: {
      state: 'pending',
      dueDate: '2027-04-30',
      dueAt: '2027-04-30T23:00:00.000Z',
      escalations: [
        { at: '2027-04-29T23:00:00.000Z', notify: ['head_of_service'], reached: false },
        { at: '2027-07-29T23:00:00.000Z', notify: ['chief_officer'], reached: false },
      ],
    },
  },
  // The same action, extended on Mon 10 May 2027 (after the Head of Service was told on 29 Apr) to Fri 27 Aug:
  // the Chief Officer is told at the end of Thu 29 Jul 2027, six months past the original deadline, although
  // the extended deadline has not yet come.
  {
    name: 'Darlington: an action extended after its 3-month escalation is escalated to the Chief Officer six months past its original deadline',
    clock: 'action_plan_item',
    item: 'A1',
    events: [extendedLate[0]!, extendedLate[1]!],
    now: '2027-07-30T09:00:00Z',
    expected: {
      state: 'pending',
      dueDate: '2027-08-27',
      escalations: [
        { at: '2027-04-29T23:00:00.000Z', notify: ['head_of_service'], reached: true },
        { at: '2027-07-29T23:00:00.000Z', notify: ['chief_officer'], reached: true },
      ],
    },
  },
  ...agencyReturnExamples('Darlington'),
  ...deviationExamples('Darlington'),
  ...lookedAfterExamples('Darlington'),
  // #15 item 7. 004 s.4.5 L117: "The referral form should be submitted within 1 working day", counted from
  // the incident date on the form to the Business Unit receiving it. Incident Fri 11 Dec 2026, the form in on
  // Mon 14 Dec (the weekend skipped): on time.
  {
    name: 'Darlington: a referral received on Monday 14 Dec 2026 for an incident on Friday 11 Dec is on time',
    clock: 'referral_within_1wd',
    events: [
      event('referral_received', '2026-12-14T16:00:00Z', { referralType: 'serious_incident_notification', incidentOn: '2026-12-11' }),
    ],
    now: '2026-12-14T17:00:00Z',
    expected: { state: 'met', startedOn: '2026-12-11', dueDate: '2026-12-14', dueAt: '2026-12-15T00:00:00.000Z' },
  },
  // Incident Thu 24 Dec 2026: Fri 25 (Christmas Day), the weekend and Mon 28 (Boxing Day substitute) are not
  // working days, so a form received on Tue 29 Dec is still within 1 working day.
  {
    name: 'Darlington: a referral received on Tuesday 29 Dec 2026 for an incident on Thursday 24 Dec is on time across Christmas',
    clock: 'referral_within_1wd',
    events: [
      event('referral_received', '2026-12-29T10:00:00Z', { referralType: 'serious_incident_notification', incidentOn: '2026-12-24' }),
    ],
    now: '2026-12-29T11:00:00Z',
    expected: { state: 'met', dueDate: '2026-12-29' },
  },
  // Incident Mon 14 Dec 2026, due by the end of Tue 15 Dec; the form received on Wed 16 Dec is late (flagged).
  {
    name: 'Darlington: a referral received on Wednesday 16 Dec 2026 for an incident on Monday 14 Dec is late',
    clock: 'referral_within_1wd',
    events: [
      event('referral_received', '2026-12-16T09:00:00Z', { referralType: 'serious_incident_notification', incidentOn: '2026-12-14' }),
    ],
    now: '2026-12-16T10:00:00Z',
    expected: { state: 'met_late', dueDate: '2026-12-15', dueAt: '2026-12-16T00:00:00.000Z' },
  },
  // A learning request (s.4.7) has no such timescale; nor has a referral stored before its facts were carried.
  {
    name: 'Darlington: a learning request is not held to the 1 working day',
    clock: 'referral_within_1wd',
    events: [event('referral_received', '2026-12-16T09:00:00Z', { referralType: 'learning_request', incidentOn: '2026-12-14' })],
    now: '2026-12-16T10:00:00Z',
    expected: { state: 'not_applicable' },
  },
];

describeClockExamples('Darlington profile clocks (seed 004)', profile, examples, () => {
  it('Darlington: the Head of Service, told before the extension, is not told again; the Chief Officer still is', () => {
    // Extended on Mon 10 May 2027, after the 3-month escalation of Thu 29 Apr was raised against the original
    // deadline: the new due date starts a new alert ladder, which holds the due-soon and overdue alerts for
    // Fri 27 Aug and the Chief Officer at the end of Thu 29 Jul, but not the Head of Service again.
    const view = computeClocks(profile, extendedLate, new Date('2027-05-10T10:00:00Z'), calendar).find((v) => v.item === 'A1')!;
    expect(view.escalations.map((e) => e.beforeRevision ?? false)).toEqual([true, false]);
    const ladder = alertLadder(
      profile.clocks.find((c) => c.id === 'action_plan_item')!,
      view,
    );
    expect(ladder.map((r) => [r.level, r.at.toISOString()])).toEqual([
      ['escalation_1', '2027-07-29T23:00:00.000Z'],
      ['due_soon', '2027-08-12T23:00:00.000Z'],
      ['overdue', '2027-08-27T23:00:00.000Z'],
    ]);
  });
});
