import { describe, expect, it } from 'vitest';

import { ageBandAt, initialsOf } from '../../../src/domain/referral/caseSummary.ts';
import { isValidNhsNumber } from '../../../src/domain/referral/referralSchema.ts';

describe('the open summary of a child', () => {
  it.each([
    ['Alexandra Testcase', 'A.T.'],
    ['alex  q. fictional-person', 'A.Q.F.P.'],
    ['Zoë Ó Testperson', 'Z.Ó.T.'],
  ])('writes "%s" as initials %s', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });

  it.each([
    ['2026-06-01', '2026-11-17', 'under 1'],
    ['2021-11-17', '2026-11-17', '5-9'],
    ['2021-11-18', '2026-11-17', '1-4'],
    ['2009-01-01', '2026-11-17', '16-17'],
    ['2008-01-01', '2026-11-17', '18 or over'],
  ])('bands a child born %s at the incident on %s as %s', (dob, on, band) => {
    expect(ageBandAt(dob, on)).toBe(band);
  });
});

describe('NHS numbers', () => {
  it('accepts a number whose check digit is right', () => {
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
  });
  it.each(['9434765918', '123456789', 'abcdefghij'])('rejects %s', (n) => {
    expect(isValidNhsNumber(n)).toBe(false);
  });
});
