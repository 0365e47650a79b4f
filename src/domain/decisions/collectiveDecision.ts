/**
 * The notification decision is collective (seed 000): each statutory partner records a decision with
 * a rationale. When all have: agreement gives the outcome; any disagreement goes to the local
 * dispute resolution procedure.
 */
export interface AgencyVote {
  readonly agency: string;
  readonly decision: string;
}

export type CollectiveOutcome =
  | { readonly kind: 'waiting'; readonly waitingFor: readonly string[] }
  | { readonly kind: 'agreed'; readonly outcome: string }
  | { readonly kind: 'disagreed'; readonly decisions: Readonly<Record<string, string>> };

export function collectiveDecision(deciders: readonly string[], votes: readonly AgencyVote[]): CollectiveOutcome {
  const byAgency = new Map(votes.filter((v) => deciders.includes(v.agency)).map((v) => [v.agency, v.decision]));
  const waitingFor = deciders.filter((a) => !byAgency.has(a));
  if (waitingFor.length > 0) return { kind: 'waiting', waitingFor };
  const distinct = new Set(byAgency.values());
  if (distinct.size === 1) return { kind: 'agreed', outcome: [...distinct][0]! };
  return { kind: 'disagreed', decisions: Object.fromEntries(byAgency) };
}
