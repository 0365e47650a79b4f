import type { CaseEvent } from '../case/caseEvent.ts';
import { defersDecision } from '../decisions/decisionRoute.ts';
import type { AppliesWhen, Condition, Profile } from '../profiles/profileSchema.ts';

/** The latest event of a type, in time order; a decision that only sent queries back is not yet a decision. */
function latestCounting(profile: Profile, events: readonly CaseEvent[], type: string): CaseEvent | undefined {
  return events.filter((e) => e.type === type && !(type === 'notification_decision' && defersDecision(profile, e.data?.outcome))).at(-1);
}

function holdsOne(profile: Profile, condition: Condition, events: readonly CaseEvent[]): boolean | undefined {
  const event = latestCounting(profile, events, condition.event);
  if (!event) return undefined;
  return condition.in.includes(event.data?.[condition.field] as string | boolean);
}

/**
 * Whether a profile condition holds on a case's events (in time order): undefined while it cannot be
 * told yet (its event has not happened), then true or false. All of several fails as soon as one
 * fails; any of several holds as soon as one holds.
 */
export function conditionHolds(profile: Profile, condition: AppliesWhen | undefined, events: readonly CaseEvent[]): boolean | undefined {
  if (!condition) return true;
  if ('allOf' in condition) {
    const each = condition.allOf.map((c) => holdsOne(profile, c, events));
    return each.includes(false) ? false : each.includes(undefined) ? undefined : true;
  }
  if ('anyOf' in condition) {
    const each = condition.anyOf.map((c) => holdsOne(profile, c, events));
    return each.includes(true) ? true : each.includes(undefined) ? undefined : false;
  }
  return holdsOne(profile, condition, events);
}
