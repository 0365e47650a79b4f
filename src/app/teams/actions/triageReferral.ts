import { z } from 'zod';

import { isIsoDate } from '../../../domain/calendar/isoDate.ts';
import { awarenessProblem } from '../../../domain/referral/laAwareness.ts';
import { londonDateOf } from '../../../domain/time/londonTime.ts';
import { renderCard } from '../../cards/cardTemplates.ts';
import { noticeCard } from '../../cards/noticeCard.ts';
import { referralFormData } from '../../cards/referralForm.ts';
import { findEmailDraft, isBusinessManager, triageCard } from '../../intake/triage.ts';
import { cardAction, recordId } from './cardAction.ts';

/**
 * "Complete as a referral" on a triage card: the referral form, to be completed from the email. The
 * email was received when it arrived, so the form says so and the case's clocks count from then; the
 * awareness date typed on the triage card (if any) is checked here and carried into the form.
 */
export const triageReferral = cardAction({
  verb: 'triage.referral',
  data: z.looseObject({ emailReferralId: recordId, laAwareOn: z.string().optional() }),
  async handle({ emailReferralId, laAwareOn }, actor, { ctx }) {
    if (!(await isBusinessManager(ctx, actor)))
      return noticeCard('Not available', ['Only the business manager triages the partnership mailbox.']);
    const draft = await findEmailDraft(ctx.db, emailReferralId);
    if (!draft || draft.status !== 'draft') return noticeCard('Already triaged', ['This email has already been triaged.']);
    const today = londonDateOf(ctx.now());
    const aware = laAwareOn?.trim() ?? '';
    const problem = !aware
      ? undefined
      : !isIsoDate(aware)
        ? 'must be a date YYYY-MM-DD'
        : awarenessProblem(aware, draft.receivedAt ? londonDateOf(draft.receivedAt) : today, today);
    if (problem)
      return triageCard(draft, `Date the local authority became aware: ${problem}.`, { noticeStyle: 'attention', laAwareOn: aware, today });
    // The form, with what the email tells us about the referrer; the rest comes from the email and its attachments.
    const values = { referrer_email: draft.fromAddress ?? '', referrer_name: draft.fromName ?? '', incident_laAwareOn: aware };
    return renderCard('referralForm', referralFormData(ctx.profile, today, values, [], draft.id, draft.receivedAt ?? undefined));
  },
});
