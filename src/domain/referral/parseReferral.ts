import { fullDate } from '../time/formatLondon.ts';
import { unstorableFields } from '../validation/storableText.ts';
import type { FieldProblem } from '../validation/validationError.ts';
import { ValidationError } from '../validation/validationError.ts';
import { problemsOf } from '../validation/validationError.ts';
import { awarenessProblem } from './laAwareness.ts';
import { type Referral, referralSchema } from './referralSchema.ts';

type PlanDates = NonNullable<NonNullable<Referral['plans']>['childProtection']>;

/**
 * A plan's dates: neither in the future, the end not before the start, and the start no later than
 * the incident, since the form asks about a plan "at the time or prior to the incident" (004 Appendix 1
 * section 6).
 */
function planProblems(plan: PlanDates | undefined, field: string, incidentOn: string, today: string): FieldProblem[] {
  if (!plan) return [];
  const { startedOn, endedOn } = plan;
  return [
    ...(startedOn && startedOn > today ? [{ field: `${field}.startedOn`, message: 'must not be in the future' }] : []),
    ...(startedOn && startedOn <= today && startedOn > incidentOn
      ? [
          {
            field: `${field}.startedOn`,
            message: `must not be after the incident (${fullDate(incidentOn)}): the form asks about a plan at the time of the incident or before it`,
          },
        ]
      : []),
    ...(endedOn && endedOn > today
      ? [{ field: `${field}.endedOn`, message: 'must not be in the future: leave it blank while the plan continues' }]
      : []),
    ...(startedOn && endedOn && endedOn < startedOn
      ? [{ field: `${field}.endedOn`, message: `must not be before the plan started (${fullDate(startedOn)})` }]
      : []),
  ];
}

/**
 * The dates that must agree with each other and with today: the child died on or after the incident
 * (a death later than the harm that led to it is common; the other way round is a mistyped date).
 */
function dateProblems(r: Referral, today: string, receivedOn: string): FieldProblem[] {
  const { date, diedOn, laAwareOn } = r.incident;
  const aware = laAwareOn === undefined ? undefined : awarenessProblem(laAwareOn, receivedOn, today);
  return [
    ...(date > today ? [{ field: 'incident.date', message: 'must not be in the future' }] : []),
    ...(diedOn && diedOn > today ? [{ field: 'incident.diedOn', message: 'must not be in the future' }] : []),
    ...(diedOn && date <= today && diedOn <= today && date > diedOn
      ? [{ field: 'incident.date', message: `must not be after the date of death (${fullDate(diedOn)})` }]
      : []),
    ...(r.referredOn > today ? [{ field: 'referredOn', message: 'must not be in the future' }] : []),
    ...(aware ? [{ field: 'incident.laAwareOn', message: aware }] : []),
    ...planProblems(r.plans?.childProtection, 'plans.childProtection', date, today),
    ...planProblems(r.plans?.childInNeed, 'plans.childInNeed', date, today),
    ...(r.escalation?.sought && !r.escalation.resolutionAttempts
      ? [
          {
            field: 'escalation.resolutionAttempts',
            message: 'is required for an escalation: say how you and your managers tried to resolve the disagreement',
          },
        ]
      : []),
  ];
}

/**
 * Validates a submitted referral. `today` (London date) rules out incident and form dates in the
 * future; `receivedOn` (the day the partnership received it: today for the Teams form, the email's
 * day for one completed from the mailbox) rules out an awareness after the receipt.
 */
export function parseReferral(input: unknown, today: string, receivedOn: string = today): Referral {
  // Checked on the raw input first, so each such field is named whatever else is wrong with it.
  const unstorable = unstorableFields(input);
  if (unstorable.length > 0) throw new ValidationError(unstorable, 'referral');
  const parsed = referralSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(problemsOf(parsed.error), 'referral');
  const r = parsed.data;
  const problems = dateProblems(r, today, receivedOn);
  if (problems.length > 0) throw new ValidationError(problems, 'referral');
  return r;
}
