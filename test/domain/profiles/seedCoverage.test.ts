// Each of the five seeds (the partnerships' protocols) is carried by a profile or by a rule (#15 item 10):
// every shipped profile names its seed file, and every seed file is some profile's seed or is cited by
// a clock's or a rule's `source`. Tests read nothing outside the repository, so the five file names are
// written here; the profiles cite them by name (`seed`) or by number ("002 L21", as in domain.md).
import { describe, expect, it } from 'vitest';

import { loadProfiles } from '../../../src/adapters/profiles/loadProfiles.ts';
import type { Profile } from '../../../src/domain/profiles/profileSchema.ts';

const SEEDS = [
  '000_1bc12db849b0550e.txt', // HSSCP Review Protocol
  '001_b1eb4b682fd98ba1.txt', // North East Lincolnshire practice review procedure
  '002_de6a49d994784a96.txt', // Tees-wide guidance and its referral form
  '003_b597e1f2605121b5.txt', // Stockport Rapid Review Process
  '004_16f9e8a1b03dcc50.txt', // Darlington procedure
] as const;

const profiles = [...loadProfiles().values()];

/** Every `source` in a profile: its clocks', its decisions', its meetings', its dashboard grants'. */
function sourcesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(sourcesOf);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'source' && typeof v === 'string' ? [v] : sourcesOf(v)));
}

/** A source cites a seed by its file name, or by its number as the profiles write it ("002 L21", "004 s.9.2"). */
function cites(source: string, seed: string): boolean {
  return source.includes(seed) || new RegExp(`(?<![\\w.])${seed.slice(0, 3)}(?![\\w])`).test(source);
}

const seedOf = (p: Profile) => SEEDS.find((s) => p.seed.startsWith(s));

describe('the five seeds', () => {
  it.each(profiles.map((p) => [p.id, p] as const))('%s names its seed file by name', (_id, profile) => {
    expect(seedOf(profile), profile.seed).toBeDefined();
  });

  it.each(SEEDS)('%s is carried by a profile or by a rule', (seed) => {
    const carriers = [
      ...profiles.filter((p) => p.seed.startsWith(seed)).map((p) => `${p.id} (seed)`),
      ...profiles.filter((p) => sourcesOf(p).some((s) => cites(s, seed))).map((p) => `${p.id} (a source)`),
    ];
    expect(carriers, seed).not.toEqual([]);
  });

  it('each seed is the seed of its own profile; the Tees-wide guidance (002) is South Tees', () => {
    expect(Object.fromEntries(profiles.map((p) => [p.id, seedOf(p)]))).toEqual({
      darlington: '004_16f9e8a1b03dcc50.txt',
      hsscp: '000_1bc12db849b0550e.txt',
      nel: '001_b1eb4b682fd98ba1.txt',
      southtees: '002_de6a49d994784a96.txt',
      stockport: '003_b597e1f2605121b5.txt',
    });
  });

  it('cites a seed by number only where the number stands alone', () => {
    expect(cites('Tees-wide guidance 002 L21', '002_de6a49d994784a96.txt')).toBe(true);
    expect(cites("000 'LCSPR' L128", '000_1bc12db849b0550e.txt')).toBe(true);
    expect(cites('s.10.02 or L002 or 2002', '002_de6a49d994784a96.txt')).toBe(false);
  });
});
