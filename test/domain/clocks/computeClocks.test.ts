import { describe, expect, it } from 'vitest';

import { createWorkingDayCalendar } from '../../../src/domain/calendar/index.ts';
import type { CaseEvent } from '../../../src/domain/case/caseEvent.ts';
import { computeClocks } from '../../../src/domain/clocks/computeClocks.ts';
import { parseProfile } from '../../../src/domain/profiles/parseProfile.ts';
import type { ProfileInput } from '../../../src/domain/profiles/profileSchema.ts';

// A small profile written for these tests, so each engine rule is tested on its own.
const base: ProfileInput = {
  id: 'test',
  name: 'Fictional Test Partnership',
  referencePrefix: 'TEST',
  seed: 'none',
  agencies: [
    { id: 'local_authority', label: 'LA' },
    { id: 'police', label: 'Police' },
    { id: 'health', label: 'Health' },
  ],
  localAuthorities: ['Nowhere'],
  roles: [
    { id: 'dsp', label: 'DSP', kind: 'per_agency' },
    { id: 'business_manager', label: 'BM', kind: 'single' },
    { id: 'head_of_service', label: 'HoS', kind: 'per_agency' },
    { id: 'la_notifier', label: 'Notifier', kind: 'per_local_authority' },
  ],
  stages: [
    { id: 'dsp_decision', label: 'Decision' },
    { id: 'notification', label: 'Notification' },
    { id: 'closed', label: 'Closed' },
    { id: 'dispute_resolution', label: 'Dispute' },
    { id: 'action_plan', label: 'Actions' },
  ],
  notificationDecision: {
    deciders: ['local_authority', 'police', 'health'],
    outcomes: [
      { id: 'notify', label: 'Notify', next: 'notification' },
      { id: 'do_not_notify', label: 'Do not', next: 'closed' },
    ],
    onDisagreement: { next: 'dispute_resolution', label: 'Dispute' },
    source: 'test',
  },
  informationRequest: { template: 'Test template', returnWithin: { workingDays: 5 }, from: 'sent', source: 'test' },
  learningDecision: {
    decidedBy: 'business_manager',
    outcomes: [
      { id: 'review', label: 'Review', next: 'action_plan' },
      { id: 'none', label: 'None', next: 'closed' },
    ],
    source: 'test',
  },
  fullDetailsRoles: ['business_manager'],
  clocks: [
    {
      id: 'dsp_decision',
      label: 'Decision',
      stage: 'dsp_decision',
      source: 't',
      starts: { event: 'referral_received' },
      length: { workingDays: 2 },
      completedBy: { event: 'notification_decision' },
      owner: 'dsp',
      dueSoon: { workingDaysBefore: 0 },
      escalation: [{ after: { workingDays: 0 }, notify: ['business_manager'] }],
    },
    {
      id: 'panel_notification',
      label: 'Panel',
      stage: 'notification',
      source: 't',
      starts: { event: 'notification_decision' },
      appliesWhen: { event: 'notification_decision', field: 'outcome', in: ['notify'] },
      length: { workingDays: 5 },
      completedBy: { event: 'panel_notified', dateField: 'notifiedOn' },
      owner: 'la_notifier',
      dueSoon: { workingDaysBefore: 1 },
    },
    {
      id: 'review_12m',
      label: '12m',
      stage: 'notification',
      source: 't',
      starts: { event: 'lcspr_decision' },
      length: { months: 12 },
      completedBy: { event: 'desktop_review_done', where: { field: 'review', in: ['12m'] } },
      owner: 'business_manager',
      dueSoon: { workingDaysBefore: 0 },
    },
    {
      id: 'copy_before_publication',
      label: 'Copies',
      stage: 'notification',
      source: 't',
      starts: { event: 'publication_planned', dateField: 'plannedDate', use: 'latest' },
      length: { workingDays: -7 },
      completedBy: { event: 'report_copies_sent' },
      owner: 'business_manager',
      dueSoon: { workingDaysBefore: 2 },
    },
    {
      id: 'publication',
      label: 'Publish',
      stage: 'notification',
      source: 't',
      starts: { event: 'lcspr_decision' },
      length: { months: 6 },
      completedBy: { event: 'published' },
      owner: 'business_manager',
      dueSoon: { workingDaysBefore: 10 },
    },
    {
      id: 'action',
      label: 'Action',
      stage: 'action_plan',
      source: 't',
      starts: { event: 'action_set', dateField: 'deadline' },
      perItem: 'itemId',
      length: { calendarDays: 0 },
      completedBy: { event: 'action_completed' },
      owner: 'business_manager',
      dueSoon: { workingDaysBefore: 5 },
      escalation: [{ after: { months: 3 }, notify: ['head_of_service'] }],
    },
  ],
};
const profile = parseProfile(base, 'test-profile.json');
const calendar = createWorkingDayCalendar();
const ev = (type: CaseEvent['type'], at: string, data?: Record<string, unknown>): CaseEvent => ({
  type,
  at: new Date(at),
  ...(data ? { data } : {}),
});
const clock = (id: string, events: CaseEvent[], now: string) =>
  computeClocks(profile, events, new Date(now), calendar).filter((c) => c.clockId === id);

describe('computeClocks', () => {
  const referral = ev('referral_received', '2026-11-19T10:00:00Z'); // Thursday

  it('is not started before its starting event', () => {
    expect(clock('dsp_decision', [], '2026-11-19T09:00:00Z')[0]?.state).toBe('not_started');
  });

  it('is pending, then due soon from the start of its last working day, then overdue the moment that day ends', () => {
    expect(clock('dsp_decision', [referral], '2026-11-20T12:00:00Z')[0]).toMatchObject({ state: 'pending', dueDate: '2026-11-23' });
    expect(clock('dsp_decision', [referral], '2026-11-23T00:00:00Z')[0]?.state).toBe('due_soon');
    expect(clock('dsp_decision', [referral], '2026-11-23T23:59:59.999Z')[0]?.state).toBe('due_soon');
    expect(clock('dsp_decision', [referral], '2026-11-24T00:00:00Z')[0]?.state).toBe('overdue');
  });

  it('is met when stopped before its due instant, and met late after', () => {
    const onTime = [referral, ev('notification_decision', '2026-11-23T23:59:00Z', { outcome: 'notify' })];
    const late = [referral, ev('notification_decision', '2026-11-24T00:01:00Z', { outcome: 'notify' })];
    expect(clock('dsp_decision', onTime, '2026-12-01T00:00:00Z')[0]).toMatchObject({
      state: 'met',
      completedAt: new Date('2026-11-23T23:59:00Z'),
    });
    expect(clock('dsp_decision', late, '2026-12-01T00:00:00Z')[0]?.state).toBe('met_late');
  });

  it('marks its escalation reached when it becomes overdue', () => {
    expect(clock('dsp_decision', [referral], '2026-11-23T12:00:00Z')[0]?.escalations[0]).toMatchObject({
      reached: false,
      notify: ['business_manager'],
    });
    expect(clock('dsp_decision', [referral], '2026-11-24T00:00:00Z')[0]?.escalations[0]?.reached).toBe(true);
  });

  it('does not apply when the decision took another route', () => {
    const notNotified = [referral, ev('notification_decision', '2026-11-20T10:00:00Z', { outcome: 'do_not_notify' })];
    expect(clock('panel_notification', notNotified, '2026-12-01T00:00:00Z')[0]?.state).toBe('not_applicable');
  });

  it('is due soon from the start of the working day before its due date', () => {
    // Decision Friday 18 Dec 2026 → 5 working days → Mon 28 Dec is a bank holiday → due Thu 31 Dec... counted: 21,22,23,24,29
    const events = [referral, ev('notification_decision', '2026-12-18T15:00:00Z', { outcome: 'notify' })];
    const c = clock('panel_notification', events, '2026-12-24T12:00:00Z')[0]!;
    expect(c.dueDate).toBe('2026-12-29');
    expect(c.dueSoonAt?.toISOString()).toBe('2026-12-24T00:00:00.000Z');
    expect(c.state).toBe('due_soon');
  });

  it('judges on time by the date the stopping event names, not when it was recorded', () => {
    const decided = ev('notification_decision', '2026-11-19T15:00:00Z', { outcome: 'notify' }); // due Thu 26 Nov
    const confirmedLate = ev('panel_notified', '2026-11-27T09:00:00Z', { notifiedOn: '2026-11-26' });
    const notifiedLate = ev('panel_notified', '2026-11-27T09:00:00Z', { notifiedOn: '2026-11-27' });
    expect(clock('panel_notification', [referral, decided, confirmedLate], '2026-12-01T00:00:00Z')[0]?.state).toBe('met');
    expect(clock('panel_notification', [referral, decided, notifiedLate], '2026-12-01T00:00:00Z')[0]?.state).toBe('met_late');
  });

  it('is stopped only by an event whose data match', () => {
    const events = [ev('lcspr_decision', '2026-05-05T10:00:00Z'), ev('desktop_review_done', '2026-11-05T10:00:00Z', { review: '6m' })];
    expect(clock('review_12m', events, '2026-12-01T00:00:00Z')[0]?.state).toBe('pending');
    const done = [...events, ev('desktop_review_done', '2027-05-01T10:00:00Z', { review: '12m' })];
    expect(clock('review_12m', done, '2027-06-01T00:00:00Z')[0]?.state).toBe('met');
  });

  it('counts back N working days before a planned date, and follows the latest plan', () => {
    const events = [
      ev('publication_planned', '2027-01-10T10:00:00Z', { plannedDate: '2027-04-30' }),
      ev('publication_planned', '2027-02-10T10:00:00Z', { plannedDate: '2027-04-09' }), // Friday after Easter 2027
    ];
    // 7 working days before Fri 9 Apr 2027, skipping Easter Monday 29 Mar and Good Friday 26 Mar: 31 Mar.
    expect(clock('copy_before_publication', events, '2027-03-01T00:00:00Z')[0]).toMatchObject({ state: 'pending', dueDate: '2027-03-31' });
  });

  it('counts calendar months, clamping to the end of a shorter month', () => {
    const events = [ev('lcspr_decision', '2026-08-31T10:00:00Z', { commission: true })];
    expect(clock('publication', events, '2026-09-01T00:00:00Z')[0]?.dueDate).toBe('2027-02-28');
  });

  it('keeps one clock per action-plan item and escalates each three months after its own deadline', () => {
    const events = [
      ev('action_set', '2026-06-01T10:00:00Z', { itemId: 'A1', deadline: '2026-07-31' }),
      ev('action_set', '2026-06-01T10:00:00Z', { itemId: 'A2', deadline: '2026-09-30' }),
      ev('action_completed', '2026-08-15T10:00:00Z', { itemId: 'A2' }),
    ];
    const items = clock('action', events, '2026-11-01T00:00:00Z');
    expect(items.map((c) => [c.item, c.state])).toEqual([
      ['A1', 'overdue'],
      ['A2', 'met'],
    ]);
    // 31 Jul + 3 months = 31 Oct; the end of that London day is midnight GMT (the clocks went back on 25 Oct).
    expect(items[0]?.escalations[0]).toMatchObject({ at: new Date('2026-11-01T00:00:00Z'), reached: true });
    expect(items[1]?.escalations[0]?.reached).toBe(false);
  });

  it('takes a referral received at 23:30 UTC in summer as received the next London day', () => {
    const late = ev('referral_received', '2026-07-02T23:30:00Z'); // Friday 3 Jul 00:30 BST
    expect(clock('dsp_decision', [late], '2026-07-03T12:00:00Z')[0]).toMatchObject({ startedOn: '2026-07-03', dueDate: '2026-07-07' });
  });

  it('crosses the October DST change: due at midnight GMT, an hour later in UTC than in summer', () => {
    const friday = ev('referral_received', '2026-10-23T09:00:00Z');
    const c = clock('dsp_decision', [friday], '2026-10-24T00:00:00Z')[0]!;
    expect(c.dueDate).toBe('2026-10-27');
    expect(c.dueAt?.toISOString()).toBe('2026-10-28T00:00:00.000Z');
    expect(c.dueSoonAt?.toISOString()).toBe('2026-10-27T00:00:00.000Z');
  });

  it('crosses the March DST change: due at midnight BST', () => {
    const friday = ev('referral_received', '2026-03-27T09:00:00Z');
    const c = clock('dsp_decision', [friday], '2026-03-28T00:00:00Z')[0]!;
    expect(c.dueDate).toBe('2026-03-31');
    expect(c.dueAt?.toISOString()).toBe('2026-03-31T23:00:00.000Z');
  });

  it('rejects an event whose date field is not a date, naming it', () => {
    expect(() =>
      clock('action', [ev('action_set', '2026-06-01T10:00:00Z', { itemId: 'A1', deadline: '31/07/2026' })], '2026-07-01T00:00:00Z'),
    ).toThrow('action_set.deadline');
  });
});
