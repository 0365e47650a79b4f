import type { Profile } from '../profiles/profileSchema.ts';

/**
 * Where a decision outcome sends a case, by the profile's own outcome names: HSSCP's "notify" and
 * Stockport's "rapid_review" both lead to the Panel notification, so code asks the route, never the name.
 */
export function nextStageOf(profile: Profile, outcome: string): string {
  if (outcome === 'disagreed') return profile.notificationDecision.onDisagreement.next;
  return profile.notificationDecision.outcomes.find((o) => o.id === outcome)?.next ?? 'dsp_decision';
}

export function leadsToNotification(profile: Profile, outcome: string): boolean {
  return nextStageOf(profile, outcome) === 'notification';
}

/**
 * Whether an outcome sends the case back to before the decision: Stockport's "Queries back to referrer
 * before decision can be made" (003 Appendix A 2.1). It is no decision yet: clocks waiting on the
 * decision stay not started, and the partners vote again once the referrer has answered.
 */
export function defersDecision(profile: Profile, outcome: unknown): boolean {
  const next = profile.notificationDecision.outcomes.find((o) => o.id === outcome)?.next;
  return next === 'referral' || next === 'dsp_decision';
}
