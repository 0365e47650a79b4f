/** One agency's vote on a case's notification decision: one per (case, agency). */
export interface VoteRecord {
  readonly caseId: string;
  readonly agency: string;
  readonly voterId: string;
  readonly decision: string;
  readonly rationale: string;
  readonly castAt: Date;
}
