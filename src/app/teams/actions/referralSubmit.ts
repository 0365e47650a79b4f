import { createHash } from 'node:crypto';

import { z } from 'zod';

import { canonicalJson } from '../../../domain/audit/canonicalJson.ts';
import { describeClock } from '../../../domain/clocks/describeClock.ts';
import { londonDateTime } from '../../../domain/time/formatLondon.ts';
import { londonDateOf } from '../../../domain/time/londonTime.ts';
import { renderCard } from '../../cards/cardTemplates.ts';
import { REFERRAL_TYPE_LABELS } from '../../cards/caseCardModel.ts';
import { formErrors, referralFormData, referralFromForm } from '../../cards/referralForm.ts';
import { ForbiddenError } from '../../errors.ts';
import { findEmailDraft, isBusinessManager } from '../../intake/triage.ts';
import { submitReferral } from '../../referrals/submitReferral.ts';
import { cardAction, optionalRecordId } from './cardAction.ts';

/**
 * "Submit referral": opens the case and answers with its receipt. The form's fields are the
 * referral's to check (submitReferral names each one at fault); from a triage card the form also
 * carries the email it completes: the case is received when that email arrived, and the email is
 * marked converted in the same transaction.
 */
export const referralSubmit = cardAction({
  verb: 'referral.submit',
  data: z.looseObject({ emailReferralId: optionalRecordId }),

  async handle(data, actor, { ctx }, turn) {
    const emailReferralId = data.emailReferralId ?? '';
    // The email sets when the referral was received, so only the person who triages the mailbox may say which.
    if (emailReferralId && !(await isBusinessManager(ctx, actor)))
      throw new ForbiddenError('only the business manager completes a referral from the partnership mailbox');
    // The same request sent again (a retry after a lost answer) carries the same activity id and
    // form: it gets the receipt for the case it opened, not a second case.
    const submissionKey = actor.activityId
      ? createHash('sha256')
          .update(`${actor.aadObjectId}\n${actor.activityId}\n${canonicalJson(data)}`)
          .digest('hex')
      : undefined;
    // From a triage card: the case is received when the email arrived, and the email is converted with it.
    const {
      case: record,
      clocks,
      repeated,
    } = await submitReferral(ctx, referralFromForm(data), actor.aadObjectId, {
      ...(submissionKey ? { submissionKey } : {}),
      ...(emailReferralId ? { emailReferralId } : {}),
    });
    if (!repeated) turn.committed({ queued: true });
    const dsp = clocks.find((c) => c.clockId === 'dsp_decision');
    return renderCard('referralReceipt', {
      reference: record.reference,
      typeLabel: REFERRAL_TYPE_LABELS[record.type],
      receivedText: londonDateTime(record.receivedAt),
      nextStep:
        record.type === 'learning_request'
          ? 'The Engine Room will consider your learning request.'
          : dsp
            ? `The Delegated Safeguarding Partners decide: ${describeClock(dsp)}.`
            : 'The partnership will consider your referral.',
    });
  },

  // Bad fields: the form again, as typed, with each problem next to its field.
  async refusal(error, data, _actor, { ctx }) {
    if (error.code !== 'invalid_input') return undefined;
    const email = data.emailReferralId ? await findEmailDraft(ctx.db, data.emailReferralId) : undefined;
    return renderCard(
      'referralForm',
      referralFormData(
        ctx.profile,
        londonDateOf(ctx.now()),
        data,
        formErrors(error.problems),
        data.emailReferralId ?? '',
        email?.receivedAt ?? undefined,
      ),
    );
  },
  recordedNotShown: 'Your referral was recorded, but its receipt could not be shown: please do not submit it again.',
});
