import { z } from 'zod';

import { noticeCard } from '../../cards/noticeCard.ts';
import { acknowledgeAlert } from '../../deadlines/alertActions.ts';
import { cardAction, recordId } from './cardAction.ts';

/** "Acknowledge" on an alert: no more reminders about it. */
export const alertAck = cardAction({
  verb: 'alert.ack',
  data: z.looseObject({ alertId: recordId }),
  async handle({ alertId }, actor, { ctx }, turn) {
    // acknowledgeAlert commits, then draws the alert card itself.
    turn.mayCommit();
    const { card, refusal } = await acknowledgeAlert(ctx, alertId, actor);
    return card ?? noticeCard('Not available', [refusal!]);
  },
});
