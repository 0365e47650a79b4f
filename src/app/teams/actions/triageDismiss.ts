import { z } from 'zod';

import { noticeCard } from '../../cards/noticeCard.ts';
import { dismissEmailDraft, findEmailDraft, isBusinessManager, triageCard } from '../../intake/triage.ts';
import { cardAction, recordId } from './cardAction.ts';

/** "Not a referral" on a triage card: the email is closed, and who decided is audited. */
export const triageDismiss = cardAction({
  verb: 'triage.dismiss',
  data: z.looseObject({ emailReferralId: recordId }),
  async handle({ emailReferralId }, actor, { ctx }, turn) {
    if (!(await isBusinessManager(ctx, actor)))
      return noticeCard('Not available', ['Only the business manager triages the partnership mailbox.']);
    const draft = await findEmailDraft(ctx.db, emailReferralId);
    if (!draft) return noticeCard('Not found', ['That email was not found.']);
    const said = await dismissEmailDraft(ctx, draft.id, actor);
    // One transaction, which says "Marked..." when it changed the email (else it was already triaged).
    if (said.startsWith('Marked')) turn.committed();
    return triageCard({ ...draft, status: 'not_referral' }, said);
  },
  recordedNotShown: 'The email was marked as not a referral, but the card could not be shown.',
});
