import { describe, expect, it } from 'vitest';

import { planRoleChanges } from '../../../src/domain/people/planRoleChanges.ts';
import { hsscp } from '../../support/fixtures.ts';

const everyoneNeeded = [
  { role: 'dsp', scope: 'local_authority', userId: 'la' },
  { role: 'dsp', scope: 'police', userId: 'police' },
  { role: 'dsp', scope: 'health', userId: 'health' },
  { role: 'business_manager', scope: '', userId: 'bm' },
];

describe('planning a save of the admin card', () => {
  it('names every required role left empty when nothing is chosen', () => {
    const plan = planRoleChanges(hsscp, everyoneNeeded, []);
    expect(plan.missing.map((s) => s.label)).toEqual([
      'DSP: Local authority (Hartlepool / Stockton-on-Tees)',
      'DSP: Police',
      'DSP: Integrated Care Board (health)',
      'Business manager',
    ]);
    expect(plan.removals).toHaveLength(4);
  });

  it('names only the agency left without a DSP', () => {
    const plan = planRoleChanges(
      hsscp,
      everyoneNeeded,
      everyoneNeeded.filter((a) => a.scope !== 'police'),
    );
    expect(plan.missing.map((s) => s.id)).toEqual(['dsp__police']);
  });

  it("lists who leaves and who joins each role, with the role's label", () => {
    const current = [...everyoneNeeded, { role: 'engine_room', scope: '', userId: 'er1' }];
    const chosen = [
      ...everyoneNeeded.filter((a) => a.scope !== 'police'),
      { role: 'dsp', scope: 'police', userId: 'deputy' },
      { role: 'engine_room', scope: '', userId: 'er1' },
      { role: 'engine_room', scope: '', userId: 'er2' },
    ];
    const plan = planRoleChanges(hsscp, current, chosen);
    expect(plan.missing).toEqual([]);
    expect(plan.removals).toEqual([{ role: 'dsp', scope: 'police', userId: 'police', label: 'DSP: Police' }]);
    expect(plan.additions).toEqual([
      { role: 'dsp', scope: 'police', userId: 'deputy', label: 'DSP: Police' },
      { role: 'engine_room', scope: '', userId: 'er2', label: 'Engine Room member' },
    ]);
  });

  it('treats the same person in another scope as a change (a DSP moved from police to health)', () => {
    const chosen = everyoneNeeded.map((a) => (a.userId === 'health' ? { ...a, userId: 'police' } : a));
    const plan = planRoleChanges(hsscp, everyoneNeeded, chosen);
    expect(plan.removals.map((r) => `${r.userId} ${r.label}`)).toEqual(['health DSP: Integrated Care Board (health)']);
    expect(plan.additions.map((r) => `${r.userId} ${r.label}`)).toEqual(['police DSP: Integrated Care Board (health)']);
  });

  it('counts a holder in a scope the card no longer shows as removed (the save replaces the whole role), and ignores roles the card does not assign', () => {
    const current = [
      ...everyoneNeeded,
      { role: 'dsp', scope: 'education', userId: 'old' },
      { role: 'chief_officer', scope: 'police', userId: 'chief' },
    ];
    const plan = planRoleChanges(hsscp, current, everyoneNeeded);
    expect(plan.removals).toEqual([{ role: 'dsp', scope: 'education', userId: 'old', label: 'DSP: education' }]);
    expect(plan.additions).toEqual([]);
  });

  it('has nothing to say when the choice is what is stored, and counts a person chosen twice once', () => {
    expect(planRoleChanges(hsscp, everyoneNeeded, [...everyoneNeeded, everyoneNeeded[3]!])).toEqual({
      missing: [],
      removals: [],
      additions: [],
    });
  });
});
