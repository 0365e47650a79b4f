import { describe, expect, it } from 'vitest';

import { formErrors, referralFromForm } from '../../../src/app/cards/referralForm.ts';
import { parseReferral } from '../../../src/domain/referral/parseReferral.ts';
import { CASE_CHARACTERISTICS, MAIN_CAUSES } from '../../../src/domain/referral/referralChoices.ts';
import { referralFacts } from '../../../src/domain/referral/referralFacts.ts';
import type { ReferralInput } from '../../../src/domain/referral/referralSchema.ts';
import { ValidationError } from '../../../src/domain/validation/validationError.ts';
import { REFERRAL_FORM, sampleReferral } from '../../support/fixtures.ts';

/**
 * The referral form's fields from Darlington's Notifiable (Serious) Incident Referral Form (004
 * Appendix 1) and Stockport's escalation pathway (003 Appendix A 1.2 C), issue #15 item 12. Today is
 * Thu 19 Nov 2026 throughout.
 */
const TODAY = '2026-11-19';

function problems(input: unknown, today = TODAY): { field: string; message: string }[] {
  try {
    parseReferral(input, today);
  } catch (error) {
    if (error instanceof ValidationError) return [...error.problems];
    throw error;
  }
  return [];
}

const withIncident = (incident: Partial<ReferralInput['incident']>, extra: Partial<ReferralInput> = {}) =>
  sampleReferral({ incident: { date: '2026-11-17', isDeath: false, ...incident }, ...extra });

describe('the referral form: dates of incident and of death (004 Appendix 1 section 2)', () => {
  it('keeps the incident date and the date of death apart; a date of death means the child died', () => {
    const r = parseReferral(withIncident({ date: '2026-11-10', diedOn: '2026-11-14', isDeath: false }), TODAY);
    expect(r.incident).toMatchObject({ date: '2026-11-10', diedOn: '2026-11-14', isDeath: true });
    // The rules see both: Darlington's 1 working day counts from the incident (004 s.4.5), not the death.
    expect(referralFacts(r)).toMatchObject({ incidentOn: '2026-11-10', diedOn: '2026-11-14', isDeath: true });
  });

  it('accepts a death on the day of the incident, and a death with no separate date', () => {
    expect(problems(withIncident({ date: '2026-11-17', diedOn: '2026-11-17' }))).toEqual([]);
    expect(referralFacts(parseReferral(withIncident({ isDeath: true }), TODAY))).toEqual({
      referralType: 'serious_incident_notification',
      childStatus: 'child_in_need',
      isDeath: true,
      incidentOn: '2026-11-17',
    });
  });

  it('refuses a date of death after today, and an incident after the death, in words', () => {
    expect(problems(withIncident({ diedOn: '2026-11-20' }))).toEqual([{ field: 'incident.diedOn', message: 'must not be in the future' }]);
    expect(problems(withIncident({ date: '2026-11-18', diedOn: '2026-11-16' }))).toEqual([
      { field: 'incident.date', message: 'must not be after the date of death (Mon 16 Nov 2026)' },
    ]);
    expect(problems(withIncident({ diedOn: '2026-02-30' }))).toEqual([{ field: 'incident.diedOn', message: 'must be a date YYYY-MM-DD' }]);
  });
});

describe('the referral form: staff conduct, the coroner, the causes and characteristics', () => {
  it('takes the seed\'s choices and keeps each "other, please state"', () => {
    const r = parseReferral(
      withIncident({
        staffConduct: true,
        coroner: 'unsure',
        coronerDetails: 'HM Coroner for Fictionshire',
        causeOfDeath: 'Not yet established (fictional)',
        mainCause: 'other',
        mainCauseOther: 'A fictional cause',
        characteristics: ['domestic_violence', 'parental_mental_health', 'other'],
        characteristicsOther: 'A fictional characteristic',
      }),
      TODAY,
    );
    expect(r.incident).toMatchObject({ staffConduct: true, coroner: 'unsure', mainCause: 'other' });
    expect(r.incident.characteristics).toEqual(['domestic_violence', 'parental_mental_health', 'other']);
  });

  it("lists 004's own choices: 13 main causes and 18 characteristics", () => {
    expect(Object.values(MAIN_CAUSES)).toHaveLength(13);
    expect(Object.values(MAIN_CAUSES)).toContain('Sudden infant death syndrome');
    expect(Object.values(CASE_CHARACTERISTICS)).toHaveLength(18);
    expect(Object.values(CASE_CHARACTERISTICS)).toContain('Child of teenage pregnancy');
  });

  it('refuses a choice not on the list, a characteristic twice, and a coroner answer other than yes, no or unsure', () => {
    expect(problems(withIncident({ mainCause: 'misadventure' as never }))).toEqual([
      { field: 'incident.mainCause', message: `must be one of: ${Object.values(MAIN_CAUSES).join(', ')}` },
    ]);
    expect(problems(withIncident({ characteristics: ['drug_abuse', 'drug_abuse'] }))).toEqual([
      { field: 'incident.characteristics', message: 'lists a characteristic twice' },
    ]);
    expect(problems(withIncident({ coroner: 'maybe' as never }))).toEqual([
      { field: 'incident.coroner', message: 'must be one of: Yes, No, Unsure' },
    ]);
  });
});

describe('the referral form: child protection and child in need plans (004 Appendix 1 section 6)', () => {
  it('accepts a plan that started before the incident, ended or not', () => {
    const r = parseReferral(
      sampleReferral({
        plans: { childProtection: { startedOn: '2025-06-02', endedOn: '2026-01-30' }, childInNeed: { startedOn: '2026-02-02' } },
      }),
      TODAY,
    );
    expect(r.plans).toEqual({
      childProtection: { startedOn: '2025-06-02', endedOn: '2026-01-30' },
      childInNeed: { startedOn: '2026-02-02' },
    });
  });

  it('refuses an end before the start, a date in the future, and a plan that started after the incident', () => {
    expect(problems(sampleReferral({ plans: { childProtection: { startedOn: '2026-03-02', endedOn: '2026-02-27' } } }))).toEqual([
      { field: 'plans.childProtection.endedOn', message: 'must not be before the plan started (Mon 2 Mar 2026)' },
    ]);
    expect(problems(sampleReferral({ plans: { childInNeed: { startedOn: '2026-11-18' } } }))).toEqual([
      {
        field: 'plans.childInNeed.startedOn',
        message: 'must not be after the incident (Tue 17 Nov 2026): the form asks about a plan at the time of the incident or before it',
      },
    ]);
    expect(problems(sampleReferral({ plans: { childInNeed: { startedOn: '2026-01-05', endedOn: '2026-12-01' } } }))).toEqual([
      { field: 'plans.childInNeed.endedOn', message: 'must not be in the future: leave it blank while the plan continues' },
    ]);
  });
});

describe('the referral form: actions since, the authorising officer, the escalation pathway', () => {
  it('keeps the actions taken since the incident and the authorising officer comment', () => {
    const r = parseReferral(
      sampleReferral({
        referrer: {
          name: 'Pat Example',
          agency: 'Example School',
          email: 'pat@school.example',
          authorisingOfficerComment: 'Agreed (fictional).',
        },
        narrative: { whatHappened: 'Fictional.', whyCriteriaMet: 'Fictional.', actionsSinceIncident: 'A safety plan (fictional).' },
      }),
      TODAY,
    );
    expect(r.referrer.authorisingOfficerComment).toBe('Agreed (fictional).');
    expect(r.narrative.actionsSinceIncident).toBe('A safety plan (fictional).');
  });

  it('asks an escalation how the disagreement was tried to be resolved (003 Appendix A 1.2 C)', () => {
    expect(problems(sampleReferral({ escalation: { sought: true } }))).toEqual([
      {
        field: 'escalation.resolutionAttempts',
        message: 'is required for an escalation: say how you and your managers tried to resolve the disagreement',
      },
    ]);
    expect(problems(sampleReferral({ escalation: { sought: true, resolutionAttempts: 'Two meetings (fictional).' } }))).toEqual([]);
  });

  it('refuses a NUL or a broken character in the new text fields, naming each', () => {
    const bad = problems(
      withIncident(
        { causeOfDeath: 'a\u0000b', mainCauseOther: 'x\uD800' },
        { narrative: { whatHappened: 'Fictional.', whyCriteriaMet: 'Fictional.', actionsSinceIncident: '\uDC00' } },
      ),
    );
    expect(bad.map((p) => p.field).sort()).toEqual(['incident.causeOfDeath', 'incident.mainCauseOther', 'narrative.actionsSinceIncident']);
  });
});

describe("the referral form card's inputs", () => {
  const FULL = {
    ...REFERRAL_FORM,
    incident_date: '2026-11-10',
    incident_diedOn: '2026-11-14',
    incident_staffConduct: 'no',
    incident_coroner: 'yes',
    incident_mainCause: 'non_accidental_injury',
    incident_characteristics: 'physical_abuse,recent_neglect',
    plans_childProtection_startedOn: '2026-01-05',
    narrative_actionsSinceIncident: 'Siblings placed with a relative (fictional).',
    referrer_authorisingOfficerComment: 'Supported (fictional).',
  };

  it('map to the referral: a yes/no choice to true or false, a multi-select to a list', () => {
    const r = parseReferral(referralFromForm(FULL), TODAY);
    expect(r.incident).toMatchObject({
      date: '2026-11-10',
      diedOn: '2026-11-14',
      isDeath: true,
      staffConduct: false,
      coroner: 'yes',
      mainCause: 'non_accidental_injury',
      characteristics: ['physical_abuse', 'recent_neglect'],
    });
    expect(r.plans).toEqual({ childProtection: { startedOn: '2026-01-05' } });
    expect(r.escalation).toBeUndefined();
  });

  it('name a problem by its label', () => {
    try {
      parseReferral(referralFromForm({ ...FULL, incident_diedOn: '2026-11-09' }), TODAY);
      expect.unreachable();
    } catch (error) {
      expect(formErrors((error as ValidationError).problems)).toEqual([
        'Date of incident or death: must not be after the date of death (Mon 9 Nov 2026)',
      ]);
    }
  });
});
