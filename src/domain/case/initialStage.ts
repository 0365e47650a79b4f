import type { Profile } from '../profiles/profileSchema.ts';
import type { ReferralType } from '../referral/referralSchema.ts';

/**
 * Where a new case starts: a serious incident notification request goes to the DSPs' decision; a
 * learning request goes to the Engine Room's learning review (seed 000, step 4) where the profile has
 * that stage, else to the same decision as any referral.
 */
export function initialStage(profile: Profile, type: ReferralType): string {
  if (type === 'learning_request' && profile.stages.some((s) => s.id === 'learning_review')) return 'learning_review';
  return 'dsp_decision';
}
