import type { NamedPerson } from './whoMayVote.ts';

/** One agency's vote on a case's notification decision: one per (case, agency). */
export interface VoteRecord {
  readonly caseId: string;
  readonly agency: string;
  readonly voterId: string;
  readonly decision: string;
  readonly rationale: string;
  readonly castAt: Date;
  /** Set when a deputy DSP voted (#15 item 11): who voted, and the DSP in whose place. */
  readonly votedBy?: NamedPerson;
  readonly inPlaceOf?: NamedPerson;
}
