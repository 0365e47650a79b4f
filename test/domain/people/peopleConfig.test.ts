import { describe, expect, it } from 'vitest';

import { parsePeopleConfig } from '../../../src/domain/people/peopleConfig.ts';
import { ValidationError } from '../../../src/domain/validation/validationError.ts';
import { hsscp } from '../../support/fixtures.ts';

const oid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('PEOPLE_FILE', () => {
  it('flattens DSPs, notifiers, the business manager and the Engine Room into role assignments', () => {
    const { assignments } = parsePeopleConfig(
      { dsp: { police: oid(1) }, la_notifier: { Hartlepool: [oid(2), oid(3)] }, business_manager: [oid(4)], engine_room: [oid(5)] },
      hsscp,
    );
    expect(assignments).toEqual([
      { role: 'dsp', scope: 'police', userId: oid(1) },
      { role: 'la_notifier', scope: 'Hartlepool', userId: oid(2) },
      { role: 'la_notifier', scope: 'Hartlepool', userId: oid(3) },
      { role: 'business_manager', scope: '', userId: oid(4) },
      { role: 'engine_room', scope: '', userId: oid(5) },
    ]);
  });

  it.each([
    [{ dsp: { education: oid(1) } }, 'dsp.education'],
    [{ la_notifier: { Atlantis: [oid(1)] } }, 'la_notifier.Atlantis'],
    [{ dsp: { police: 'alice@example.org' } }, 'dsp.police'],
    [{ chair: [oid(1)] }, 'chair'],
  ])('names the field that is wrong (%#)', (json, field) => {
    let error: unknown;
    try {
      parsePeopleConfig(json, hsscp);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toContain(field);
  });
});
