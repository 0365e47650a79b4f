import { event, type Example } from './clockExamples.ts';

/**
 * Worked examples of the looked-after child's death, the same rule in every profile (#15 item 2):
 * "Where a looked after child has died, the local authority must also notify the Secretary of State
 * and Ofsted; whether or not abuse or neglect is known or suspected" (002 L21; 001 L58; 003 Appendix A
 * L505-507; 004 s.5.3). No seed gives that notification a timescale of its own; it is stated with the
 * Panel notification's "within five working days of becoming aware", so it is counted the same way,
 * from the local authority's awareness (`la_aware.awareOn`), whatever the partners decide. The
 * referral's facts (the child's status at the time, whether the child died) are on `referral_received`.
 *
 * Dates are worked by hand on the England-and-Wales calendar: Christmas Day 2026 is Fri 25 Dec, Boxing
 * Day (Sat 26) is substituted on Mon 28 Dec; GMT throughout.
 */
export function lookedAfterExamples(profile: string): Example[] {
  const lookedAfterDeath = event('referral_received', '2026-12-21T10:00:00Z', {
    referralType: 'serious_incident_notification',
    childStatus: 'looked_after',
    isDeath: true,
    incidentOn: '2026-12-20',
  });
  const aware = event('la_aware', '2026-12-21T10:00:00Z', { awareOn: '2026-12-21', basis: 'referral_received' });
  return [
    // Aware Mon 21 Dec 2026: Tue 22 (1), Wed 23 (2), Thu 24 (3); Fri 25 (Christmas Day), the weekend and Mon 28
    // (the Boxing Day substitute) skipped; Tue 29 (4), Wed 30 Dec (5). Due soon 1 working day before, from the
    // start of Tue 29; overdue, and the DSPs told, at the end of Wed 30 (00:00 Thu 31 Dec, GMT).
    {
      name: `${profile}: a looked-after child's death the LA knew of on Monday 21 Dec 2026 must be notified to the Secretary of State and Ofsted by the end of Wednesday 30 Dec`,
      clock: 'lac_death_notification',
      events: [lookedAfterDeath, aware],
      now: '2026-12-29T10:00:00Z',
      expected: {
        state: 'due_soon',
        startedOn: '2026-12-21',
        dueDate: '2026-12-30',
        dueAt: '2026-12-31T00:00:00.000Z',
        dueSoonAt: '2026-12-29T00:00:00.000Z',
        escalations: [{ at: '2026-12-31T00:00:00.000Z', notify: ['dsp'], reached: false }],
      },
    },
    // Counted from the awareness, not the referral: a strategy meeting on Thu 17 Dec 2026, four days before the
    // form reached the partnership: Fri 18 (1), Mon 21 (2), Tue 22 (3), Wed 23 (4), Thu 24 Dec (5).
    {
      name: `${profile}: aware at a strategy meeting on Thursday 17 Dec 2026, the LA must notify the Secretary of State and Ofsted by the end of Thursday 24 Dec`,
      clock: 'lac_death_notification',
      events: [lookedAfterDeath, event('la_aware', '2026-12-21T10:00:00Z', { awareOn: '2026-12-17', basis: 'referral_form' })],
      now: '2026-12-21T11:00:00Z',
      expected: { state: 'pending', startedOn: '2026-12-17', dueDate: '2026-12-24', dueAt: '2026-12-25T00:00:00.000Z' },
    },
    // Notified on Wed 30 Dec, recorded on Mon 4 Jan 2027: judged on the date it was made, so on time.
    {
      name: `${profile}: the Secretary of State and Ofsted notified on Wednesday 30 Dec 2026 (recorded in January) is on time`,
      clock: 'lac_death_notification',
      events: [lookedAfterDeath, aware, event('sos_ofsted_notified', '2027-01-04T09:00:00Z', { notifiedOn: '2026-12-30' })],
      now: '2027-01-04T10:00:00Z',
      expected: { state: 'met', dueDate: '2026-12-30' },
    },
    // Notified on Thu 31 Dec: a day late.
    {
      name: `${profile}: the Secretary of State and Ofsted notified on Thursday 31 Dec 2026 is late`,
      clock: 'lac_death_notification',
      events: [lookedAfterDeath, aware, event('sos_ofsted_notified', '2026-12-31T12:00:00Z', { notifiedOn: '2026-12-31' })],
      now: '2026-12-31T13:00:00Z',
      expected: { state: 'met_late', dueDate: '2026-12-30' },
    },
    // Only a death: a looked-after child seriously harmed is not this duty.
    {
      name: `${profile}: a looked-after child seriously harmed (not a death) owes no Secretary of State and Ofsted notification`,
      clock: 'lac_death_notification',
      events: [
        event('referral_received', '2026-12-21T10:00:00Z', { childStatus: 'looked_after', isDeath: false, incidentOn: '2026-12-20' }),
        aware,
      ],
      now: '2026-12-29T10:00:00Z',
      expected: { state: 'not_applicable' },
    },
    // Only a looked-after child: a child in need who died is not this duty.
    {
      name: `${profile}: the death of a child in need owes no Secretary of State and Ofsted notification`,
      clock: 'lac_death_notification',
      events: [
        event('referral_received', '2026-12-21T10:00:00Z', { childStatus: 'child_in_need', isDeath: true, incidentOn: '2026-12-20' }),
        aware,
      ],
      now: '2026-12-29T10:00:00Z',
      expected: { state: 'not_applicable' },
    },
  ];
}
