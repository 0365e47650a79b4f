import type { CaseSummary } from '../referral/caseSummary.ts';
import type { ReferralType } from '../referral/referralSchema.ts';

/** A case as the store keeps it: its reference, type, stage and open summary (never the full referral). */
export interface CaseRecord {
  readonly id: string;
  readonly reference: string;
  readonly profileId: string;
  readonly localAuthority: string;
  readonly type: ReferralType;
  readonly stage: string;
  readonly summary: CaseSummary;
  readonly receivedAt: Date;
  readonly createdAt: Date;
  readonly closedAt: Date | null;
}
