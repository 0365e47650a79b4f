import { z } from 'zod';

import { londonDateOf } from '../../../domain/time/londonTime.ts';
import { renderCard } from '../../cards/cardTemplates.ts';
import { noticeCard } from '../../cards/noticeCard.ts';
import { referralFormData } from '../../cards/referralForm.ts';
import { findEmailDraft, isBusinessManager } from '../../intake/triage.ts';
import { cardAction, recordId } from './cardAction.ts';

/** "Complete as a referral" on a triage card: the referral form, to be completed from the email. */
export const triageReferral = cardAction({
  verb: 'triage.referral',
  data: z.looseObject({ emailReferralId: recordId }),
  async handle({ emailReferralId }, actor, { ctx }) {
    if (!(await isBusinessManager(ctx, actor)))
      return noticeCard('Not available', ['Only the business manager triages the partnership mailbox.']);
    const draft = await findEmailDraft(ctx.db, emailReferralId);
    if (!draft || draft.status !== 'draft') return noticeCard('Already triaged', ['This email has already been triaged.']);
    // The form, with what the email tells us about the referrer; the rest comes from the email and its attachments.
    const values = { referrer_email: draft.fromAddress ?? '', referrer_name: draft.fromName ?? '' };
    return renderCard('referralForm', referralFormData(ctx.profile, londonDateOf(ctx.now()), values, [], draft.id));
  },
});
