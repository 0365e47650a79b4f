/**
 * The notification decision is collective (seed 000): each statutory partner records a decision with
 * a rationale. When all have voted, the profile's rule combines them: `unanimous` gives the outcome
 * only if all agree, `majority` if more than half chose it. Otherwise the case goes to the local
 * dispute resolution procedure.
 */
export interface AgencyVote {
  readonly agency: string;
  readonly decision: string;
}

export type DecisionRule = 'unanimous' | 'majority';

export type CollectiveOutcome =
  | { readonly kind: 'waiting'; readonly waitingFor: readonly string[] }
  | { readonly kind: 'agreed'; readonly outcome: string }
  | { readonly kind: 'disagreed'; readonly decisions: Readonly<Record<string, string>> };

export function collectiveDecision(
  deciders: readonly string[],
  votes: readonly AgencyVote[],
  rule: DecisionRule = 'unanimous',
): CollectiveOutcome {
  const byAgency = new Map(votes.filter((v) => deciders.includes(v.agency)).map((v) => [v.agency, v.decision]));
  const waitingFor = deciders.filter((a) => !byAgency.has(a));
  if (waitingFor.length > 0) return { kind: 'waiting', waitingFor };
  const tally = new Map<string, number>();
  for (const decision of byAgency.values()) tally.set(decision, (tally.get(decision) ?? 0) + 1);
  const [top, count] = [...tally].sort((a, b) => b[1] - a[1])[0]!;
  const needed = rule === 'unanimous' ? deciders.length : Math.floor(deciders.length / 2) + 1;
  if (count >= needed) return { kind: 'agreed', outcome: top };
  return { kind: 'disagreed', decisions: Object.fromEntries(byAgency) };
}
