import { z } from 'zod';

import { noticeCard } from '../../cards/noticeCard.ts';
import { snoozeAlert } from '../../deadlines/alertActions.ts';
import { cardAction, recordId } from './cardAction.ts';

/** "Snooze until tomorrow" on an alert. */
export const alertSnooze = cardAction({
  verb: 'alert.snooze',
  data: z.looseObject({ alertId: recordId }),
  async handle({ alertId }, actor, { ctx }, turn) {
    // snoozeAlert commits, then draws the alert card itself.
    turn.mayCommit();
    const { card, refusal } = await snoozeAlert(ctx, alertId, actor);
    return card ?? noticeCard('Not available', [refusal!]);
  },
});
