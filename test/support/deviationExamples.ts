import { event, type Example } from './clockExamples.ts';

/**
 * Worked examples of the deviations every profile allows, the same rule in each (#15 items 5 and 6):
 * an action completed on time but recorded late; publication delayed past its 6-month deadline and the
 * Panel and the Secretary of State told; a decision not to publish; and the report's year of public
 * availability. The 5 working days to tell the Panel and the Secretary of State, and the review 5
 * working days after the public-until date, are the profiles' configurable choice (the seeds set no
 * time). Dates are worked by hand on the England-and-Wales calendar: the summer bank holidays Mon 30
 * Aug 2027 and Mon 28 Aug 2028; Easter 2028 is Good Friday 14 Apr and Easter Monday 17 Apr; BST runs
 * from 28 Mar to 31 Oct 2027 and from 26 Mar to 29 Oct 2028.
 */
export function deviationExamples(profile: string): Example[] {
  const notPublishing = event('publication_decided', '2028-04-11T11:00:00Z', { outcome: 'not_published', reasons: 'Fictional.' });
  return [
    // An action due Wed 31 Mar 2027 (BST), completed that day and recorded on Thu 1 Apr at 10:00 BST: judged on
    // the day it was completed (completedOn), it is on time, though recorded after the end of its due day.
    {
      name: `${profile}: an action due Wednesday 31 Mar 2027, completed then and recorded on Thursday 1 Apr, is met on time`,
      clock: 'action_plan_item',
      item: 'A1',
      events: [
        event('action_set', '2026-11-01T10:00:00Z', { itemId: 'A1', agency: 'health', deadline: '2027-03-31' }),
        event('action_completed', '2027-04-01T09:00:00Z', { itemId: 'A1', completedOn: '2027-03-31' }),
      ],
      now: '2027-04-01T10:00:00Z',
      expected: { state: 'met', dueDate: '2027-03-31', dueAt: '2027-03-31T23:00:00.000Z' },
    },
    // The same action completed on Thu 1 Apr: late, whenever it is recorded.
    {
      name: `${profile}: an action due Wednesday 31 Mar 2027 and completed on Thursday 1 Apr is late`,
      clock: 'action_plan_item',
      item: 'A1',
      events: [
        event('action_set', '2026-11-01T10:00:00Z', { itemId: 'A1', agency: 'health', deadline: '2027-03-31' }),
        event('action_completed', '2027-04-01T11:00:00Z', { itemId: 'A1', completedOn: '2027-04-01' }),
      ],
      now: '2027-04-02T10:00:00Z',
      expected: { state: 'met_late', dueDate: '2027-03-31' },
    },

    // Publication put back past the 6-month deadline on Tue 24 Aug 2027 (D1): the Panel and the Secretary of
    // State are to be told the reasons within 5 working days of Tue 24 Aug: Wed 25 (1), Thu 26 (2), Fri 27
    // (3); the weekend and the summer bank holiday (Mon 30 Aug) skipped; Tue 31 (4), Wed 1 Sep (5). Due soon
    // 2 working days before: Tue 31 Aug (1), Fri 27 Aug (2), from 00:00 BST = 23:00 UTC on Thu 26 Aug.
    {
      name: `${profile}: a delay recorded Tuesday 24 Aug 2027 must be told to the Panel and the Secretary of State by the end of Wednesday 1 Sep`,
      clock: 'publication_delay_reported',
      item: 'D1',
      events: [
        event('publication_delayed', '2027-08-24T10:00:00Z', {
          itemId: 'D1',
          plannedDate: '2027-09-03',
          deadline: '2027-08-26',
          reasons: 'Fictional.',
        }),
      ],
      now: '2027-08-27T09:00:00Z',
      expected: {
        state: 'due_soon',
        startedOn: '2027-08-24',
        dueDate: '2027-09-01',
        dueAt: '2027-09-01T23:00:00.000Z',
        dueSoonAt: '2027-08-26T23:00:00.000Z',
      },
    },
    // Told on Wed 1 Sep, recorded on Thu 2 Sep: judged on the day they were told (toldOn), on time. A second
    // delay (D2), recorded Mon 6 Sep, has its own clock: Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 Sep (5).
    {
      name: `${profile}: a delay told on Wednesday 1 Sep 2027 and recorded the next day is told on time`,
      clock: 'publication_delay_reported',
      item: 'D1',
      events: [
        event('publication_delayed', '2027-08-24T10:00:00Z', { itemId: 'D1', plannedDate: '2027-09-03', deadline: '2027-08-26' }),
        event('publication_delay_reported', '2027-09-02T09:00:00Z', { itemId: 'D1', toldOn: '2027-09-01' }),
        event('publication_delayed', '2027-09-06T10:00:00Z', { itemId: 'D2', plannedDate: '2027-10-01', deadline: '2027-08-26' }),
      ],
      now: '2027-09-06T11:00:00Z',
      expected: { state: 'met', dueDate: '2027-09-01' },
    },
    {
      name: `${profile}: a second delay, recorded Monday 6 Sep 2027, must be told by the end of Monday 13 Sep`,
      clock: 'publication_delay_reported',
      item: 'D2',
      events: [
        event('publication_delayed', '2027-08-24T10:00:00Z', { itemId: 'D1', plannedDate: '2027-09-03', deadline: '2027-08-26' }),
        event('publication_delay_reported', '2027-09-02T09:00:00Z', { itemId: 'D1', toldOn: '2027-09-01' }),
        event('publication_delayed', '2027-09-06T10:00:00Z', { itemId: 'D2', plannedDate: '2027-10-01', deadline: '2027-08-26' }),
      ],
      now: '2027-09-06T11:00:00Z',
      expected: { state: 'pending', startedOn: '2027-09-06', dueDate: '2027-09-13', dueAt: '2027-09-13T23:00:00.000Z' },
    },

    // A decision on Tue 11 Apr 2028 (BST) not to publish: the justification goes to the Panel and the Secretary
    // of State within 5 working days: Wed 12 (1), Thu 13 (2); Good Friday (14), the weekend and Easter Monday
    // (17) skipped; Tue 18 (3), Wed 19 (4), Thu 20 Apr (5). Due soon 2 working days before: Wed 19 (1), Tue 18
    // (2), from 00:00 BST = 23:00 UTC on Easter Monday.
    {
      name: `${profile}: a decision on Tuesday 11 Apr 2028 not to publish must be justified to the Panel and the Secretary of State by the end of Thursday 20 Apr`,
      clock: 'non_publication_reported',
      events: [event('lcspr_decision', '2027-10-19T11:00:00Z', { commission: true }), notPublishing],
      now: '2028-04-18T09:00:00Z',
      expected: {
        state: 'due_soon',
        startedOn: '2028-04-11',
        dueDate: '2028-04-20',
        dueAt: '2028-04-20T23:00:00.000Z',
        dueSoonAt: '2028-04-17T23:00:00.000Z',
      },
    },
    {
      name: `${profile}: deciding to publish, there is no justification to send`,
      clock: 'non_publication_reported',
      events: [
        event('lcspr_decision', '2027-10-19T11:00:00Z', { commission: true }),
        event('publication_decided', '2028-04-11T11:00:00Z', { outcome: 'improvements_only', reasons: 'Fictional.' }),
      ],
      now: '2028-04-18T09:00:00Z',
      expected: { state: 'not_applicable' },
    },
    // Not publishing, nothing waits for a publication: the 6-month clock (due Wed 19 Apr 2028) and the copies
    // no longer apply; the justification's clock holds the partnership to account instead.
    {
      name: `${profile}: with a decision not to publish, the 6-month publication clock no longer applies`,
      clock: 'lcspr_publication',
      events: [event('lcspr_decision', '2027-10-19T11:00:00Z', { commission: true }), notPublishing],
      now: '2028-04-25T09:00:00Z',
      expected: { state: 'not_applicable' },
    },
    {
      name: `${profile}: with a decision not to publish, the copies before publication are not due`,
      clock: 'lcspr_copy_before_publication',
      events: [
        event('lcspr_decision', '2027-10-19T11:00:00Z', { commission: true }),
        event('publication_planned', '2028-03-01T11:00:00Z', { plannedDate: '2028-04-14' }),
        notPublishing,
      ],
      now: '2028-04-25T09:00:00Z',
      expected: { state: 'not_applicable' },
    },

    // Published Fri 3 Sep 2027: public until at least Sun 3 Sep 2028 (a year on). The review is due within 5
    // working days after that date: Mon 4 (1), Tue 5 (2), Wed 6 (3), Thu 7 (4), Fri 8 Sep 2028 (5), and not
    // before Sun 3 Sep. Due soon 10 working days before Fri 8 Sep: Thu 7 (1), Wed 6 (2), Tue 5 (3), Mon 4 (4),
    // Fri 1 Sep (5), Thu 31 Aug (6), Wed 30 (7), Tue 29 (8); the summer bank holiday (Mon 28 Aug 2028) skipped;
    // Fri 25 (9), Thu 24 Aug (10), from 00:00 BST = 23:00 UTC on Wed 23 Aug.
    {
      name: `${profile}: a report published Friday 3 Sep 2027 is public until Sunday 3 Sep 2028, a reminder from Thursday 24 Aug 2028`,
      clock: 'lcspr_public_until',
      events: [event('published', '2027-09-03T11:00:00Z', { publishedOn: '2027-09-03', publicUntil: '2028-09-03' })],
      now: '2028-08-24T09:00:00Z',
      expected: {
        state: 'due_soon',
        startedOn: '2028-09-03',
        earliestDate: '2028-09-03',
        dueDate: '2028-09-08',
        dueAt: '2028-09-08T23:00:00.000Z',
        dueSoonAt: '2028-08-23T23:00:00.000Z',
      },
    },
    {
      name: `${profile}: a public year reviewed on Monday 4 Sep 2028 is reviewed on time`,
      clock: 'lcspr_public_until',
      events: [
        event('published', '2027-09-03T11:00:00Z', { publishedOn: '2027-09-03', publicUntil: '2028-09-03' }),
        event('public_period_reviewed', '2028-09-04T11:00:00Z', { reviewedOn: '2028-09-04', throughout: true, next: 'kept' }),
      ],
      now: '2028-09-05T09:00:00Z',
      expected: { state: 'met', dueDate: '2028-09-08' },
    },
  ];
}
