import { describe, expect, it } from 'vitest';

import { adminRoleSlots } from '../../../src/domain/people/adminRoleSlots.ts';
import { hsscp } from '../../support/fixtures.ts';

describe('the roles the admin card assigns', () => {
  const slots = adminRoleSlots(hsscp);

  it('has one DSP per deciding agency (one person each), a notifier per local authority, and the partnership-wide roles', () => {
    expect(slots.filter((s) => s.role === 'dsp').map((s) => [s.id, s.label, s.multi])).toEqual([
      ['dsp__local_authority', 'DSP: Local authority (Hartlepool / Stockton-on-Tees)', false],
      ['dsp__police', 'DSP: Police', false],
      ['dsp__health', 'DSP: Integrated Care Board (health)', false],
    ]);
    expect(slots.filter((s) => s.role === 'la_notifier').map((s) => s.label)).toEqual([
      'Serious Incident Notifier: Hartlepool',
      'Serious Incident Notifier: Stockton-on-Tees',
    ]);
    expect(slots.find((s) => s.id === 'business_manager__')).toMatchObject({
      role: 'business_manager',
      scope: '',
      multi: true,
      label: 'Business manager',
    });
  });

  it("requires a business manager (to administer) and each deciding agency's DSP (to decide), and nothing else", () => {
    expect(slots.filter((s) => s.required).map((s) => s.id)).toEqual([
      'dsp__local_authority',
      'dsp__police',
      'dsp__health',
      'business_manager__',
    ]);
  });
});
