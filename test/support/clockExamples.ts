import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { createWorkingDayCalendar } from '../../src/domain/calendar/index.ts';
import type { CaseEvent, CaseEventType } from '../../src/domain/case/caseEvent.ts';
import type { ClockState } from '../../src/domain/clocks/clockState.ts';
import { computeClocks } from '../../src/domain/clocks/computeClocks.ts';
import { parseProfile } from '../../src/domain/profiles/parseProfile.ts';
import type { Profile } from '../../src/domain/profiles/profileSchema.ts';

/**
 * Worked examples of a profile's clocks, written out by hand from its seed: events in, expected due
 * date, due instant and state out. Shared by the four profile test files.
 */
export interface Expected {
  readonly state: ClockState;
  readonly startedOn?: string;
  readonly dueDate?: string;
  readonly dueAt?: string;
  readonly dueSoonAt?: string;
  readonly earliestDate?: string;
  readonly escalations?: readonly { at: string; notify: readonly string[]; reached: boolean }[];
}

export interface Example {
  readonly name: string;
  readonly clock: string;
  readonly item?: string;
  readonly events: readonly CaseEvent[];
  readonly now: string;
  readonly expected: Expected;
}

export const calendar = createWorkingDayCalendar();

export function event(type: CaseEventType, instant: string, data?: Record<string, unknown>): CaseEvent {
  return { type, at: new Date(instant), ...(data ? { data } : {}) };
}

export function loadShippedProfile(file: string): Profile {
  return parseProfile(JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')), file);
}

function pick(actual: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, actual[k]]));
}

/** One test per example, plus one that every clock of the profile has at least one example. */
export function describeClockExamples(title: string, profile: Profile, examples: readonly Example[], extra?: () => void) {
  describe(title, () => {
    for (const example of examples) {
      it(example.name, () => {
        const view = computeClocks(profile, example.events, new Date(example.now), calendar).find(
          (v) => v.clockId === example.clock && (example.item === undefined || v.item === example.item),
        );
        expect(view, `clock ${example.clock}`).toBeDefined();
        const actual = {
          state: view!.state,
          startedOn: view!.startedOn,
          dueDate: view!.dueDate,
          dueAt: view!.dueAt?.toISOString(),
          dueSoonAt: view!.dueSoonAt?.toISOString(),
          earliestDate: view!.earliestDate,
          escalations: view!.escalations.map((e) => ({ at: e.at.toISOString(), notify: e.notify, reached: e.reached })),
        };
        expect(pick(actual, Object.keys(example.expected))).toEqual(example.expected);
      });
    }

    it('has a worked example for every clock in the profile', () => {
      const covered = new Set(examples.map((e) => e.clock));
      expect(profile.clocks.map((c) => c.id).filter((id) => !covered.has(id))).toEqual([]);
      expect([...covered].filter((id) => !profile.clocks.some((c) => c.id === id))).toEqual([]);
    });

    extra?.();
  });
}

/**
 * The per-agency information return, the same rule in every profile: the step sets each agency's due
 * date (dueOn) from the profile's rule when the request goes; this clock holds that agency to it.
 * dueOn Mon 14 Dec 2026 (GMT): late from the end of that day; due soon from the start of Fri 11 Dec (1
 * working day before); the business manager is told at the end of Tue 15 Dec (1 working day after).
 */
export function agencyReturnExamples(profile: string): Example[] {
  return [
    {
      name: `${profile}: an agency whose return was due Monday 14 Dec 2026 and is still out on Tuesday 15 Dec is overdue; the business manager is told that night`,
      clock: 'agency_return',
      item: 'police',
      events: [event('info_request_sent', '2026-12-07T10:00:00Z', { itemId: 'police', agency: 'police', dueOn: '2026-12-14' })],
      now: '2026-12-15T09:00:00Z',
      expected: {
        state: 'overdue',
        startedOn: '2026-12-14',
        dueDate: '2026-12-14',
        dueAt: '2026-12-15T00:00:00.000Z',
        dueSoonAt: '2026-12-11T00:00:00.000Z',
        escalations: [{ at: '2026-12-16T00:00:00.000Z', notify: ['business_manager'], reached: false }],
      },
    },
    {
      name: `${profile}: a nil return recorded on its due day is met, and only that agency's clock stops`,
      clock: 'agency_return',
      item: 'health',
      events: [
        event('info_request_sent', '2026-12-07T10:00:00Z', { itemId: 'police', agency: 'police', dueOn: '2026-12-14' }),
        event('info_request_sent', '2026-12-07T10:00:00Z', { itemId: 'health', agency: 'health', dueOn: '2026-12-14' }),
        event('info_return_recorded', '2026-12-14T16:30:00Z', { itemId: 'health', kind: 'nil' }),
      ],
      now: '2026-12-15T09:00:00Z',
      expected: { state: 'met', dueDate: '2026-12-14' },
    },
  ];
}

/**
 * An action in the profiles that follow actions up in their review group (all but Darlington, whose
 * escalation ladder has its own examples): due Wed 31 Mar 2027 (BST from 28 Mar), late from the end of
 * that day, 23:00 UTC, when the review group is told (0 working days after).
 */
export function reviewGroupActionExamples(profile: string): Example[] {
  return [
    {
      name: `${profile}: an action due Wednesday 31 Mar 2027 still open on 1 April is overdue and raised with the review group`,
      clock: 'action_plan_item',
      item: 'A1',
      events: [event('action_set', '2026-11-01T10:00:00Z', { itemId: 'A1', agency: 'health', deadline: '2027-03-31' })],
      now: '2027-04-01T09:00:00Z',
      expected: {
        state: 'overdue',
        dueDate: '2027-03-31',
        dueAt: '2027-03-31T23:00:00.000Z',
        escalations: [{ at: '2027-03-31T23:00:00.000Z', notify: ['engine_room'], reached: true }],
      },
    },
  ];
}
