import { describe, expect, it } from 'vitest';

import { createWorkingDayCalendar } from '../../../src/domain/calendar/index.ts';
import { bestSlots, candidateSlots } from '../../../src/domain/meetings/findSlots.ts';

const calendar = createWorkingDayCalendar();
const hours = { start: '09:00', end: '17:00' };
const iso = (d: Date) => d.toISOString();

describe('meeting slots', () => {
  it('start at 09:00 London on the Monday after the clocks go forward, which is 08:00 UTC', () => {
    const slots = candidateSlots({
      from: new Date('2026-03-27T17:00:00Z'),
      to: new Date('2026-03-31T23:00:00Z'),
      durationMinutes: 60,
      calendar,
      hours,
      busy: new Map(),
    });
    expect(iso(slots[0]!.start)).toBe('2026-03-30T08:00:00.000Z');
    expect(iso(slots.at(-1)!.end)).toBe('2026-03-31T16:00:00.000Z'); // 17:00 BST on Tuesday
  });

  it('skip Good Friday and Easter Monday', () => {
    const slots = candidateSlots({
      from: new Date('2026-04-02T16:00:00Z'),
      to: new Date('2026-04-08T00:00:00Z'),
      durationMinutes: 60,
      calendar,
      hours,
      busy: new Map(),
    });
    expect(new Set(slots.map((s) => iso(s.start).slice(0, 10)))).toEqual(new Set(['2026-04-07']));
  });

  it('offer the nearest options, fewest people busy first, when no one slot suits everyone', () => {
    const busy = new Map([
      ['a@x', [{ start: new Date('2026-11-23T09:00:00Z'), end: new Date('2026-11-23T17:00:00Z') }]],
      ['b@x', [{ start: new Date('2026-11-23T09:00:00Z'), end: new Date('2026-11-23T12:00:00Z') }]],
    ]);
    const { free, nearest } = bestSlots({
      from: new Date('2026-11-23T09:00:00Z'),
      to: new Date('2026-11-23T17:00:00Z'),
      durationMinutes: 60,
      calendar,
      hours,
      busy,
    });
    expect(free).toEqual([]);
    expect(nearest.map((s) => [iso(s.start), s.busyAttendees])).toEqual([
      ['2026-11-23T12:00:00.000Z', ['a@x']],
      ['2026-11-23T12:30:00.000Z', ['a@x']],
      ['2026-11-23T13:00:00.000Z', ['a@x']],
    ]);
  });
});
