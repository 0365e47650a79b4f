import { describe, expect, it } from 'vitest';

import { parsePeopleConfig } from '../../../src/domain/people/peopleConfig.ts';
import { ValidationError } from '../../../src/domain/validation/validationError.ts';
import { hsscp } from '../../support/fixtures.ts';

const oid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const problemsOf = (json: unknown) => {
  try {
    parsePeopleConfig(json, hsscp);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => p.field);
    throw e;
  }
  return [];
};

describe('PEOPLE_FILE deputy DSPs (#15 item 11)', () => {
  it('reads each agency deputy with the London dates they act from and until, apart from the role assignments', () => {
    const { assignments, deputies } = parsePeopleConfig(
      {
        dsp: { police: oid(1) },
        dsp_deputies: { police: [{ id: oid(2), actsFrom: '2026-12-07', actsUntil: '2026-12-18' }] },
      },
      hsscp,
    );
    expect(assignments).toEqual([{ role: 'dsp', scope: 'police', userId: oid(1) }]);
    expect(deputies).toEqual([{ agency: 'police', userId: oid(2), actsFrom: '2026-12-07', actsUntil: '2026-12-18' }]);
  });

  it.each([
    [{ dsp_deputies: { education: [{ id: oid(2), actsFrom: '2026-12-07', actsUntil: '2026-12-18' }] } }, 'dsp_deputies.education'],
    [{ dsp_deputies: { police: [{ id: oid(2), actsFrom: '2026-12-18', actsUntil: '2026-12-07' }] } }, 'dsp_deputies.police[0].actsUntil'],
    [{ dsp_deputies: { police: [{ id: oid(2), actsFrom: '2026-02-30', actsUntil: '2026-12-07' }] } }, 'dsp_deputies.police[0].actsFrom'],
    [{ dsp_deputies: { police: [{ id: oid(2), actsFrom: '2026-12-07' }] } }, 'dsp_deputies.police[0].actsUntil'],
    [
      { dsp: { police: oid(2) }, dsp_deputies: { police: [{ id: oid(2), actsFrom: '2026-12-07', actsUntil: '2026-12-08' }] } },
      'dsp_deputies.police[0].id',
    ],
    [
      {
        dsp_deputies: {
          police: [
            { id: oid(2), actsFrom: '2026-12-07', actsUntil: '2026-12-08' },
            { id: oid(2), actsFrom: '2027-01-07', actsUntil: '2027-01-08' },
          ],
        },
      },
      'dsp_deputies.police[1].id',
    ],
  ])('names the deputy field that is wrong (%#)', (json, field) => {
    expect(problemsOf(json)).toContain(field);
  });
});
