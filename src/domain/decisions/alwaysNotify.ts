import type { CaseEvent } from '../case/caseEvent.ts';
import { conditionHolds } from '../clocks/conditionHolds.ts';
import type { Profile } from '../profiles/profileSchema.ts';
import { defersDecision, leadsToNotification } from './decisionRoute.ts';

/**
 * Whether a vote for this outcome could be refused by the profile's `alwaysNotify` rule: only a vote
 * that neither leads to the notification nor sends queries back (so most votes need no more reading).
 */
export function mayBreachAlwaysNotify(profile: Profile, decision: string): boolean {
  return (
    Boolean(profile.notificationDecision.alwaysNotify) && !leadsToNotification(profile, decision) && !defersDecision(profile, decision)
  );
}

/**
 * Why a vote is refused on a referral the profile says must always be notified (003: a looked-after
 * child), or undefined. Read from the referral's facts on the case's events (in time order).
 */
export function alwaysNotifyRefusal(profile: Profile, events: readonly CaseEvent[], decision: string): string | undefined {
  const rule = profile.notificationDecision.alwaysNotify;
  if (!rule || !mayBreachAlwaysNotify(profile, decision)) return undefined;
  return conditionHolds(profile, rule.when, events) === true ? rule.reason : undefined;
}
