import { z } from 'zod';

import { readCaseDetails } from '../../cases/readCaseDetails.ts';
import { queueDetailsCard } from '../caseAnnouncements.ts';
import { detailsCardFor } from '../detailsCard.ts';
import { cardAction, recordId } from './cardAction.ts';
import { caseViewFor } from './caseView.ts';

/** "Full details": the referral in full, for a role the profile allows; every read is audited. */
export const caseDetails = cardAction({
  verb: 'case.details',
  data: z.looseObject({ caseId: recordId }),

  async handle({ caseId }, actor, deps, turn) {
    const { ctx } = deps;
    if (actor.conversationType === 'personal') {
      const referral = await readCaseDetails(ctx, caseId, actor.aadObjectId);
      turn.committed();
      return detailsCardFor(deps, caseId, referral, actor.aadObjectId);
    }
    // Never in a channel, even for one viewer: the details go to a 1:1 chat, through the outbox
    // (the card is drawn when it is sent; the queue holds only ids). The read is audited with it.
    await readCaseDetails(ctx, caseId, actor.aadObjectId, (tx) =>
      queueDetailsCard(tx, ctx, caseId, actor, actor.activityId ?? ctx.newId()),
    );
    turn.committed({ queued: true });
    return caseViewFor(deps, actor, caseId, 'Full details have been sent to you in a 1:1 chat with the bot.');
  },

  async refusal(error, { caseId }, actor, deps) {
    return error.code === 'forbidden' ? caseViewFor(deps, actor, caseId, `${error.message}.`) : undefined;
  },
  recordedNotShown: 'Your request was recorded, but the card could not be shown: ask for the full details again.',
});
