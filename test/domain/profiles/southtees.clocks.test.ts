// Worked examples for every clock of the South Tees profile (Middlesbrough, Redcar and Cleveland), each
// written out from the Tees-wide guidance, seed 002 (002_de6a49d994784a96.txt), or, where 002 is silent,
// from the HSSCP arrangements of seed 000 (000_1bc12db849b0550e.txt) that the profile reuses and says so.
// Dates are worked by hand on the England-and-Wales calendar: the summer bank holiday is Mon 31 Aug 2026;
// Christmas 2026 is Fri 25 Dec with the Boxing Day substitute on Mon 28 Dec and New Year on Fri 1 Jan
// 2027; Easter 2027 is Good Friday 26 Mar and Easter Monday 29 Mar; the early May bank holiday is Mon 3
// May 2027; BST runs from 29 Mar to 25 Oct 2026 and from 28 Mar to 31 Oct 2027. "Within N working days
// of X" is due by the end of the Nth working day after X's London date; dueAt is the London midnight
// after the due date.
import { expect, it } from 'vitest';

import { maySeeCase } from '../../../src/domain/dashboard/caseVisibility.ts';
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

const profile = loadShippedProfile('src/profiles/southtees.json');

/** The local authority aware at a strategy meeting on Thu 22 Oct 2026, the form received Fri 23 Oct, the partners deciding Mon 26 Oct. */
const strategyMeeting = event('la_aware', '2026-10-23T09:00:00Z', { awareOn: '2026-10-22', basis: 'referral_form' });
const notify = event('notification_decision', '2026-10-26T10:00:00Z', { outcome: 'notify' });

const examples: Example[] = [
  // 002 sets the partners no time; the profile reuses 000 L42, "Within two working days of the Serious
  // Incident Notification Request Form being received". Thu 27 Aug 2026 + 2 working days: Fri 28 (1);
  // the weekend and the summer bank holiday (Mon 31 Aug) skipped; Tue 1 Sep (2), whose end is 23:00Z
  // (BST). Due soon from the start of Tue 1 Sep (00:00 BST = 23:00Z on Mon 31 Aug).
  {
    name: 'South Tees: the DSP decision on a form received Thursday 27 Aug 2026 is due by the end of Tuesday 1 Sep, over the summer bank holiday',
    clock: 'dsp_decision',
    events: [event('referral_received', '2026-08-27T10:00:00Z')],
    now: '2026-09-01T08:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2026-08-27',
      dueDate: '2026-09-01',
      dueAt: '2026-09-01T23:00:00.000Z',
      dueSoonAt: '2026-08-31T23:00:00.000Z',
      escalations: [{ at: '2026-09-01T23:00:00.000Z', notify: ['business_manager', 'partnership_chair'], reached: false }],
    },
  },
  // 000 L42 (reused). Across a weekend and the clocks going back (Sun 25 Oct 2026): a form received at
  // 16:00 BST on Fri 23 Oct: Mon 26 (1), Tue 27 (2), whose end is midnight GMT, 00:00Z on Wed 28 Oct.
  {
    name: 'South Tees: a form received Friday 23 Oct 2026 has its DSP decision due by the end of Tuesday 27 Oct, in GMT after the clocks go back',
    clock: 'dsp_decision',
    events: [event('referral_received', '2026-10-23T15:00:00Z')],
    now: '2026-10-27T23:59:00Z',
    expected: { state: 'due_soon', startedOn: '2026-10-23', dueDate: '2026-10-27', dueAt: '2026-10-28T00:00:00.000Z' },
  },
  {
    name: 'South Tees: at midnight GMT after Tuesday 27 Oct 2026 the undecided DSP decision is overdue; the business manager and partnership chair are told',
    clock: 'dsp_decision',
    events: [event('referral_received', '2026-10-23T15:00:00Z')],
    now: '2026-10-28T00:00:00Z',
    expected: {
      state: 'overdue',
      escalations: [{ at: '2026-10-28T00:00:00.000Z', notify: ['business_manager', 'partnership_chair'], reached: true }],
    },
  },
  {
    name: 'South Tees: a DSP decision on Tuesday 27 Oct 2026 for a form received Friday 23 Oct is on time',
    clock: 'dsp_decision',
    events: [
      event('referral_received', '2026-10-23T15:00:00Z'),
      event('notification_decision', '2026-10-27T16:00:00Z', { outcome: 'notify' }),
    ],
    now: '2026-10-28T09:00:00Z',
    expected: { state: 'met', dueDate: '2026-10-27' },
  },
  {
    name: 'South Tees: a DSP decision on Wednesday 28 Oct 2026 for a form received Friday 23 Oct is late',
    clock: 'dsp_decision',
    events: [
      event('referral_received', '2026-10-23T15:00:00Z'),
      event('notification_decision', '2026-10-28T09:00:00Z', { outcome: 'do_not_notify' }),
    ],
    now: '2026-10-28T10:00:00Z',
    expected: { state: 'met_late', dueDate: '2026-10-27' },
  },

  // 002 L21: "The Local Authority must then notify the National Panel within five working days of becoming
  // aware of the incident." Aware at the strategy meeting (002 L8) on Thu 22 Oct 2026, the day before the
  // form: Fri 23 (1), Mon 26 (2; the clocks went back on Sun 25), Tue 27 (3), Wed 28 (4), Thu 29 Oct (5),
  // ending at midnight GMT. From the form's receipt (Fri 23) it would be Fri 30 Oct. Due soon 1 working day
  // before, from the start of Wed 28 Oct; the DSPs are told when it is missed.
  {
    name: 'South Tees: the LA, aware at a strategy meeting on Thursday 22 Oct 2026, must notify the Panel by the end of Thursday 29 Oct, not Friday 30 Oct',
    clock: 'panel_notification',
    events: [event('referral_received', '2026-10-23T09:00:00Z'), strategyMeeting, notify],
    now: '2026-10-28T09:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2026-10-22',
      dueDate: '2026-10-29',
      dueAt: '2026-10-30T00:00:00.000Z',
      dueSoonAt: '2026-10-28T00:00:00.000Z',
      escalations: [{ at: '2026-10-30T00:00:00.000Z', notify: ['dsp'], reached: false }],
    },
  },
  // 002 L21. Notified on Thu 29 Oct and recorded on Fri 30 Oct: judged on the day it was made, on time.
  {
    name: 'South Tees: a Panel notification made on Thursday 29 Oct 2026 and recorded the next day is on time',
    clock: 'panel_notification',
    events: [strategyMeeting, notify, event('panel_notified', '2026-10-30T09:00:00Z', { notifiedOn: '2026-10-29' })],
    now: '2026-10-30T10:00:00Z',
    expected: { state: 'met', dueDate: '2026-10-29' },
  },
  {
    name: 'South Tees: a Panel notification made on Friday 30 Oct 2026 for an LA aware on Thursday 22 Oct is late',
    clock: 'panel_notification',
    events: [strategyMeeting, notify, event('panel_notified', '2026-10-30T11:00:00Z', { notifiedOn: '2026-10-30' })],
    now: '2026-10-30T12:00:00Z',
    expected: { state: 'met_late', dueDate: '2026-10-29' },
  },
  {
    name: 'South Tees: missing at midnight after Thursday 29 Oct 2026, the Panel notification is overdue and the DSPs are told',
    clock: 'panel_notification',
    events: [strategyMeeting, notify],
    now: '2026-10-30T00:00:00Z',
    expected: { state: 'overdue', escalations: [{ at: '2026-10-30T00:00:00.000Z', notify: ['dsp'], reached: true }] },
  },
  // 002 L21 over Christmas. Aware at the CDOP (002 L7) on Wed 23 Dec 2026: Thu 24 (1); Christmas Day, the
  // weekend and the Boxing Day substitute (Mon 28) skipped; Tue 29 (2), Wed 30 (3), Thu 31 (4); New Year's
  // Day (Fri 1 Jan 2027) and the weekend skipped; Mon 4 Jan (5). Due soon from the start of Thu 31 Dec.
  {
    name: 'South Tees: the LA, aware at the CDOP on Wednesday 23 Dec 2026, must notify the Panel by the end of Monday 4 Jan 2027',
    clock: 'panel_notification',
    events: [
      event('la_aware', '2026-12-24T10:00:00Z', { awareOn: '2026-12-23', basis: 'referral_form' }),
      event('notification_decision', '2026-12-29T10:00:00Z', { outcome: 'notify' }),
    ],
    now: '2026-12-30T10:00:00Z',
    expected: {
      state: 'pending',
      startedOn: '2026-12-23',
      dueDate: '2027-01-04',
      dueAt: '2027-01-05T00:00:00.000Z',
      dueSoonAt: '2026-12-31T00:00:00.000Z',
    },
  },
  {
    name: 'South Tees: when the partners decide not to notify, the Panel notification clock does not apply',
    clock: 'panel_notification',
    events: [strategyMeeting, event('notification_decision', '2026-10-26T10:00:00Z', { outcome: 'do_not_notify' })],
    now: '2026-10-30T09:00:00Z',
    expected: { state: 'not_applicable' },
  },
  {
    name: 'South Tees: before the partners decide, the Panel notification clock has not started',
    clock: 'panel_notification',
    events: [strategyMeeting],
    now: '2026-10-23T10:00:00Z',
    expected: { state: 'not_started' },
  },

  // 002 L24: "Safeguarding Partners have 15 working days from the date of notification to informing the
  // National Panel of the Rapid Review decision." Notified Wed 24 Mar 2027 (GMT), confirmed Thu 25: Thu 25
  // (1); Good Friday (26), the weekend (BST from Sun 28) and Easter Monday (29) skipped; Tue 30 (2), Wed 31
  // (3), Thu 1 Apr (4), Fri 2 (5), Mon 5 (6), Tue 6 (7), Wed 7 (8), Thu 8 (9), Fri 9 (10), Mon 12 (11), Tue
  // 13 (12), Wed 14 (13), Thu 15 (14), Fri 16 Apr (15), ending at 23:00Z. Due soon 3 working days before:
  // Thu 15 (1), Wed 14 (2), Tue 13 (3), from 00:00 BST = 23:00Z on Mon 12 Apr.
  {
    name: 'South Tees: the Rapid Review report for a notification made Wednesday 24 Mar 2027 is due by the end of Friday 16 Apr, over Easter and into BST',
    clock: 'rr_report_to_panel',
    events: [event('panel_notified', '2027-03-25T10:00:00Z', { notifiedOn: '2027-03-24' })],
    now: '2027-04-13T08:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2027-03-24',
      dueDate: '2027-04-16',
      dueAt: '2027-04-16T23:00:00.000Z',
      dueSoonAt: '2027-04-12T23:00:00.000Z',
    },
  },
  // 002 L33: "a Rapid Review report will be submitted to the National Panel". 22:30Z on Fri 16 Apr is
  // 23:30 BST, still Friday: on time; 23:05Z is 00:05 BST on Saturday: late.
  {
    name: 'South Tees: a Rapid Review report sent at 23:30 BST on Friday 16 Apr 2027 is on time',
    clock: 'rr_report_to_panel',
    events: [
      event('panel_notified', '2027-03-25T10:00:00Z', { notifiedOn: '2027-03-24' }),
      event('rr_report_submitted', '2027-04-16T22:30:00Z'),
    ],
    now: '2027-04-17T09:00:00Z',
    expected: { state: 'met', dueDate: '2027-04-16' },
  },
  {
    name: 'South Tees: a Rapid Review report sent at 00:05 BST on Saturday 17 Apr 2027 is late',
    clock: 'rr_report_to_panel',
    events: [
      event('panel_notified', '2027-03-25T10:00:00Z', { notifiedOn: '2027-03-24' }),
      event('rr_report_submitted', '2027-04-16T23:05:00Z'),
    ],
    now: '2027-04-17T09:00:00Z',
    expected: { state: 'met_late', dueDate: '2027-04-16' },
  },

  // 002 L33: "The National Panel will aim to respond to the submission ... within 15 working days."
  // Submitted Fri 16 Apr 2027: Mon 19 (1) ... Fri 30 Apr (10); the early May bank holiday (Mon 3) skipped;
  // Tue 4 (11), Wed 5 (12), Thu 6 (13), Fri 7 (14), Mon 10 May (15), ending at 23:00Z (BST).
  {
    name: 'South Tees: the National Panel aims to answer a Rapid Review submitted Friday 16 Apr 2027 by the end of Monday 10 May',
    clock: 'panel_response',
    events: [event('rr_report_submitted', '2027-04-16T14:00:00Z')],
    now: '2027-05-10T09:00:00Z',
    expected: { state: 'due_soon', dueDate: '2027-05-10', dueAt: '2027-05-10T23:00:00.000Z', dueSoonAt: '2027-05-09T23:00:00.000Z' },
  },
  {
    name: 'South Tees: a National Panel answer on Tuesday 11 May 2027 is after its 15-working-day aim',
    clock: 'panel_response',
    events: [event('rr_report_submitted', '2027-04-16T14:00:00Z'), event('panel_response_received', '2027-05-11T10:00:00Z')],
    now: '2027-05-11T11:00:00Z',
    expected: { state: 'met_late', dueDate: '2027-05-10' },
  },

  // 002 L36: "Safeguarding Partners have 6 months from the date of the decision to complete the review and
  // publish the final report." The rapid review decided on Thu 15 Apr 2027 (002 L30: the panel "decide
  // what steps they should take next"): Fri 15 Oct 2027, in BST (to 31 Oct), ending at 23:00Z. Due soon 20
  // working days before: Thu 14 Oct (1) back to Fri 17 Sep (20), from 00:00 BST = 23:00Z on Thu 16 Sep.
  {
    name: 'South Tees: a review the rapid review decided on Thursday 15 Apr 2027 must be completed and published by the end of Friday 15 Oct',
    clock: 'lcspr_publication',
    events: [event('lcspr_decision', '2027-04-15T14:00:00Z', { commission: true, by: 'rapid_review' })],
    now: '2027-09-01T09:00:00Z',
    expected: {
      state: 'pending',
      startedOn: '2027-04-15',
      dueDate: '2027-10-15',
      dueAt: '2027-10-15T23:00:00.000Z',
      dueSoonAt: '2027-09-16T23:00:00.000Z',
    },
  },
  {
    name: 'South Tees: a review published on Thursday 14 Oct 2027 is published on time',
    clock: 'lcspr_publication',
    events: [
      event('lcspr_decision', '2027-04-15T14:00:00Z', { commission: true, by: 'rapid_review' }),
      event('published', '2027-10-14T10:00:00Z', { publishedOn: '2027-10-14', publicUntil: '2028-10-14' }),
    ],
    now: '2027-10-15T09:00:00Z',
    expected: { state: 'met', dueDate: '2027-10-15' },
  },
  // 002 L30: "If the decision is taken not to proceed with a Child Safeguarding Practice Review, members
  // will provide a summary of why it does not meet the criteria." Nothing to publish.
  {
    name: 'South Tees: when the rapid review decides on no local review there is no publication clock',
    clock: 'lcspr_publication',
    events: [event('lcspr_decision', '2027-04-15T14:00:00Z', { commission: false, by: 'rapid_review' })],
    now: '2027-11-01T09:00:00Z',
    expected: { state: 'not_applicable' },
  },

  // 002 is silent; the profile reuses 000 L128: a copy of the full report "no later than seven working
  // days before the date of publication". Publication Tue 2 Nov 2027 (GMT after Sun 31 Oct): Mon 1 Nov (1),
  // Fri 29 Oct (2), Thu 28 (3), Wed 27 (4), Tue 26 (5), Mon 25 (6), Fri 22 Oct (7), a BST day ending at
  // 23:00Z. Due soon 3 working days before: Thu 21 (1), Wed 20 (2), Tue 19 Oct (3), from 23:00Z on Mon 18.
  {
    name: 'South Tees: copies for a publication on Tuesday 2 Nov 2027 are due by the end of Friday 22 Oct, counting back across the clocks going back',
    clock: 'lcspr_copy_before_publication',
    events: [event('publication_planned', '2027-09-06T10:00:00Z', { plannedDate: '2027-11-02' })],
    now: '2027-10-19T09:00:00Z',
    expected: {
      state: 'due_soon',
      startedOn: '2027-11-02',
      dueDate: '2027-10-22',
      dueAt: '2027-10-22T23:00:00.000Z',
      dueSoonAt: '2027-10-18T23:00:00.000Z',
    },
  },
  {
    name: 'South Tees: copies sent on Friday 22 Oct 2027 for publication on Tuesday 2 Nov are on time',
    clock: 'lcspr_copy_before_publication',
    events: [
      event('publication_planned', '2027-09-06T10:00:00Z', { plannedDate: '2027-11-02' }),
      event('report_copies_sent', '2027-10-22T15:00:00Z'),
    ],
    now: '2027-10-25T09:00:00Z',
    expected: { state: 'met' },
  },

  // 002 L21, the looked-after child's death, found at the CDOP (002 L7) on Fri 28 Aug 2026: the weekend and
  // the summer bank holiday (Mon 31 Aug) skipped; Tue 1 Sep (1), Wed 2 (2), Thu 3 (3), Fri 4 (4), Mon 7 Sep
  // (5), ending at 23:00Z (BST). Due whatever the partners decide, before they have.
  {
    name: 'South Tees: a looked-after child whose death the LA knew of at the CDOP on Friday 28 Aug 2026: the Secretary of State and Ofsted by the end of Monday 7 Sep',
    clock: 'lac_death_notification',
    events: [
      event('referral_received', '2026-08-28T13:00:00Z', { childStatus: 'looked_after', isDeath: true, incidentOn: '2026-08-26' }),
      event('la_aware', '2026-08-28T13:00:00Z', { awareOn: '2026-08-28', basis: 'referral_form' }),
    ],
    now: '2026-09-02T09:00:00Z',
    expected: { state: 'pending', startedOn: '2026-08-28', dueDate: '2026-09-07', dueAt: '2026-09-07T23:00:00.000Z' },
  },

  ...agencyReturnExamples('South Tees'),
  ...reviewGroupActionExamples('South Tees'),
  ...deviationExamples('South Tees'),
  ...lookedAfterExamples('South Tees'),
];

describeClockExamples('South Tees profile clocks (seed 002; 000 where 002 is silent)', profile, examples, () => {
  it('is the Tees-wide guidance (002) for Middlesbrough and Redcar and Cleveland, with its own reference series', () => {
    expect(profile).toMatchObject({ id: 'southtees', referencePrefix: 'STSCP' });
    expect(profile.seed).toMatch(/^002_de6a49d994784a96\.txt /);
    expect(profile.localAuthorities).toEqual(['Middlesbrough', 'Redcar and Cleveland']);
    expect(profile.roles.find((r) => r.id === 'la_notifier')?.kind).toBe('per_local_authority');
  });

  it('says where each rule comes from: 002, or the HSSCP arrangement of 000 it reuses where 002 is silent', () => {
    for (const clock of profile.clocks) {
      expect(clock.source, clock.id).toMatch(/^002 |002 is silent|002 sets no time/);
      if (/\b000\b/.test(clock.source)) expect(clock.source, clock.id).toMatch(/reuse/);
    }
    for (const meeting of profile.meetings) expect(meeting.source, meeting.kind).toMatch(/002/);
    for (const { source } of [profile.notificationDecision, profile.learningDecision, profile.informationRequest])
      expect(source).toMatch(/^002 /);
  });

  it("the rapid review's outcome is the decision on a local review (002 L30): no governance stage", () => {
    expect(profile.stages.map((s) => s.id)).not.toContain('governance');
    expect(profile.meetings.map((m) => m.kind)).toEqual(['dsp_call', 'rapid_review', 'tor_planning']);
  });

  it("002's learning route: the partnership considers a learning request and chooses a learning activity (its footnote 3) or none", () => {
    expect(profile.learningDecision.outcomes.map((o) => [o.id, o.next])).toEqual([
      ['audit', 'action_plan'],
      ['case_discussion', 'action_plan'],
      ['learning_lessons_review', 'action_plan'],
      ['no_learning_activity', 'closed'],
    ]);
  });

  it("each local authority's notifier sees its own children's cases in the dashboard, not the other's", () => {
    const facts = (localAuthority: string) => ({
      type: 'serious_incident_notification' as const,
      stage: 'notification',
      localAuthority,
      agenciesAsked: [],
      actionOwners: [],
      decisionOutcomes: ['notify'],
      learningDecided: false,
    });
    const middlesbrough = [{ role: 'la_notifier', scope: 'Middlesbrough' }];
    expect(maySeeCase(middlesbrough, profile, facts('Middlesbrough'))).toBe(true);
    expect(maySeeCase(middlesbrough, profile, facts('Redcar and Cleveland'))).toBe(false);
  });
});
