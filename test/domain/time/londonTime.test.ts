import { describe, expect, it } from 'vitest';

import { endOfLondonDay, londonDateOf, startOfLondonDay } from '../../../src/domain/time/londonTime.ts';

describe('London time', () => {
  it('puts 23:30 UTC in summer on the next London day (BST is UTC+1)', () => {
    expect(londonDateOf(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
  });
  it('puts 23:30 UTC in winter on the same London day (GMT)', () => {
    expect(londonDateOf(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-01');
  });
  it('starts a BST day at 23:00 UTC the evening before', () => {
    expect(startOfLondonDay('2026-07-02').toISOString()).toBe('2026-07-01T23:00:00.000Z');
  });
  it('makes the day the clocks go forward 23 hours long (29 Mar 2026)', () => {
    expect(startOfLondonDay('2026-03-29').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(endOfLondonDay('2026-03-29').toISOString()).toBe('2026-03-29T23:00:00.000Z');
  });
  it('makes the day the clocks go back 25 hours long (25 Oct 2026)', () => {
    expect(startOfLondonDay('2026-10-25').toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(endOfLondonDay('2026-10-25').toISOString()).toBe('2026-10-26T00:00:00.000Z');
  });
  it('runs in the zone the project asked for', () => {
    expect(['Europe/London', 'UTC']).toContain(process.env.TZ);
  });
});
