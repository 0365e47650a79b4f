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
