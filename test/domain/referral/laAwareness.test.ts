import { describe, expect, it } from 'vitest';

import { computeClocks } from '../../../src/domain/clocks/computeClocks.ts';
import { planStep } from '../../../src/domain/lifecycle/lifecycleCatalogue.ts';
import type { CaseState } from '../../../src/domain/lifecycle/lifecycleStep.ts';
import { awarenessLine, awarenessProblem, currentAwareness } from '../../../src/domain/referral/laAwareness.ts';
import { parseReferral } from '../../../src/domain/referral/parseReferral.ts';
import { ValidationError } from '../../../src/domain/validation/validationError.ts';
import { calendar, event, loadShippedProfile } from '../../support/clockExamples.ts';
import { sampleReferral } from '../../support/fixtures.ts';

/**
 * The awareness date's rules, pure (issue #15 item 1). The LA notifies the Panel "within five working
 * days of becoming aware" (000 L38), and is one of the partners, so it is aware no later than the
 * partnership received the referral. Christmas 2027 is a Saturday: its substitutes are Mon 27 and Tue
 * 28 Dec; New Year's Day 2028 is a Saturday, its substitute Mon 3 Jan.
 */
const hsscp = loadShippedProfile('src/profiles/hsscp.json');

function stateOf(events: ReturnType<typeof event>[], now: string, stage: string): CaseState {
  return {
    profile: hsscp,
    calendar,
    now: new Date(now),
    today: now.slice(0, 10),
    stage,
    events,
    clocks: computeClocks(hsscp, events, new Date(now), calendar),
    receivedOn: '2027-12-23',
    localAuthority: 'Hartlepool',
  };
}

const MANAGER = [{ role: 'business_manager', scope: '' }];

describe('when the local authority became aware', () => {
  it('is never after the receipt, nor in the future', () => {
    expect(awarenessProblem('2027-12-22', '2027-12-23', '2027-12-29')).toBeUndefined();
    expect(awarenessProblem('2027-12-23', '2027-12-23', '2027-12-29')).toBeUndefined();
    expect(awarenessProblem('2027-12-24', '2027-12-23', '2027-12-29')).toBe(
      'must not be after the referral was received (Thu 23 Dec 2027): the local authority, a partner, knew by then',
    );
    expect(awarenessProblem('2027-12-30', '2027-12-29', '2027-12-29')).toBe('must not be in the future');
  });

  it('is checked on the form against the day the referral was received', () => {
    const form = sampleReferral({ referredOn: '2027-12-22', incident: { date: '2027-12-21', isDeath: false, laAwareOn: '2027-12-24' } });
    expect(() => parseReferral(form, '2027-12-29')).not.toThrow(); // a Teams form received today, Wed 29 Dec
    const refused = (() => {
      try {
        parseReferral(form, '2027-12-29', '2027-12-23'); // an email received Thu 23 Dec
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).problems.map((p) => p.field)).toEqual(['incident.laAwareOn']);
  });

  it('is the latest la_aware event, with where it came from, and the card says it in a date', () => {
    const events = [
      event('la_aware', '2027-12-23T10:15:00Z', { awareOn: '2027-12-23', basis: 'referral_received' }),
      event('la_aware', '2027-12-29T16:00:00Z', {
        awareOn: '2027-12-22',
        basis: 'correction',
        previousAwareOn: '2027-12-23',
        moved: [{ clockId: 'panel_notification', short: 'Panel notification', from: '2028-01-04', to: '2027-12-31' }],
      }),
    ];
    expect(awarenessLine(currentAwareness(events.slice(0, 1)))).toBe('Thu 23 Dec 2027 (when the referral was received)');
    expect(awarenessLine(currentAwareness(events))).toBe(
      'Wed 22 Dec 2027 (corrected on Wed 29 Dec from Thu 23 Dec 2027: Panel notification moved earlier to Fri 31 Dec, was Tue 4 Jan)',
    );
    expect(awarenessLine(currentAwareness([]))).toBe('');
  });

  it('corrected before the partners decide: the thread is told where the Panel notification will fall once it applies', () => {
    // Aware at receipt, Thu 23 Dec 2027; on Fri 24 Dec, before the DSPs decide, the business manager
    // learns of a strategy meeting on Wed 22 Dec. Were the Panel to be notified, its 5 working days from
    // Wed 22 would end Fri 31 Dec (Thu 23, Fri 24, Wed 29, Thu 30, Fri 31), not Tue 4 Jan.
    const events = [
      event('referral_received', '2027-12-23T10:15:00Z', { referralType: 'serious_incident_notification' }),
      event('la_aware', '2027-12-23T10:15:00Z', { awareOn: '2027-12-23', basis: 'referral_received' }),
    ];
    const outcome = planStep(
      stateOf(events, '2027-12-24T10:00:00Z', 'dsp_decision'),
      'la_awareness_corrected',
      { awareOn: '2027-12-22', reason: 'Fictional.' },
      MANAGER,
    );
    expect(outcome.kind).toBe('planned');
    if (outcome.kind !== 'planned') return;
    expect(outcome.plan.note).toBe(
      'the date the local authority became aware is corrected from Thu 23 Dec 2027 to Wed 22 Dec 2027. Deadline moved earlier: Panel notification, once it applies, due by the end of Fri 31 Dec, instead of Tue 4 Jan',
    );
    expect(outcome.plan.events).toEqual([
      {
        type: 'la_aware',
        data: {
          awareOn: '2027-12-22',
          basis: 'correction',
          previousAwareOn: '2027-12-23',
          moved: [{ clockId: 'panel_notification', short: 'Panel notification', from: '2028-01-04', to: '2027-12-31' }],
        },
      },
    ]);
  });

  it('refuses the date already recorded, and one after the recorded Panel notification', () => {
    const events = [
      event('referral_received', '2027-12-23T10:15:00Z', { referralType: 'serious_incident_notification' }),
      event('la_aware', '2027-12-23T10:15:00Z', { awareOn: '2027-12-20', basis: 'referral_form' }),
      event('notification_decision', '2027-12-24T10:00:00Z', { outcome: 'notify' }),
      event('panel_notified', '2027-12-24T12:00:00Z', { notifiedOn: '2027-12-21' }),
    ];
    const state = stateOf(events, '2027-12-29T10:00:00Z', 'rapid_review');
    const problems = (awareOn: string) => {
      const outcome = planStep(state, 'la_awareness_corrected', { awareOn, reason: 'Fictional.' }, MANAGER);
      return outcome.kind === 'invalid' ? outcome.problems : outcome.kind;
    };
    expect(problems('2027-12-20')).toEqual([{ field: 'awareOn', message: 'is already the date recorded' }]);
    expect(problems('2027-12-22')).toEqual([{ field: 'awareOn', message: 'must not be after the Panel was notified (Tue 21 Dec 2027)' }]);
    expect(problems('2027-12-21')).toBe('planned');
    // Nor once the case is closed, nor for a learning request (no la_aware: nothing counts from it).
    expect(planStep({ ...state, stage: 'closed' }, 'la_awareness_corrected', { awareOn: '2027-12-21', reason: 'x' }, MANAGER).kind).toBe(
      'not_now',
    );
    expect(planStep(stateOf([events[0]!], '2027-12-29T10:00:00Z', 'learning_review'), 'la_awareness_corrected', {}, MANAGER).kind).toBe(
      'not_now',
    );
    // A DSP may not; the child's local authority's notifier may, another authority's may not.
    expect(planStep(state, 'la_awareness_corrected', {}, [{ role: 'dsp', scope: 'police' }]).kind).toBe('forbidden');
    expect(
      planStep(state, 'la_awareness_corrected', { awareOn: '2027-12-21', reason: 'x' }, [{ role: 'la_notifier', scope: 'Hartlepool' }])
        .kind,
    ).toBe('planned');
    expect(planStep(state, 'la_awareness_corrected', {}, [{ role: 'la_notifier', scope: 'Stockton-on-Tees' }]).kind).toBe('forbidden');
  });
});
