import { z } from 'zod';

import { describeClock } from '../../../domain/clocks/describeClock.ts';
import { fullDate } from '../../../domain/time/formatLondon.ts';
import { loadCaseSnapshot } from '../../cases/caseSnapshot.ts';
import { confirmNotification } from '../../lifecycle/confirmNotification.ts';
import { notifierCard } from '../../lifecycle/notifierCard.ts';
import { cardAction, inputText, recordId } from './cardAction.ts';

/** The notifier's "Record the notification": the date the national Panel was notified and its reference. */
export const caseConfirmNotification = cardAction({
  verb: 'case.confirmNotification',
  data: z.object({ caseId: recordId, notifiedOn: inputText, panelReference: inputText }),

  async handle(input, actor, { ctx }, turn) {
    const { case: record, clocks } = await confirmNotification(ctx, input, actor.aadObjectId);
    turn.committed({ queued: true });
    const report = clocks.find((c) => c.clockId === 'rr_report_to_panel');
    const said = `Recorded: the Panel was notified on ${fullDate(input.notifiedOn)}, reference ${input.panelReference}.${report ? ` ${describeClock(report)}.` : ''}`;
    return notifierCard(ctx, await loadCaseSnapshot(ctx, record.id), { notice: said });
  },

  // Refused: the notifier's form again, saying why, with the date and reference as typed.
  async refusal(error, { caseId, notifiedOn, panelReference }, _actor, { ctx }) {
    if (error.code === 'not_found') return undefined;
    const notice =
      error.code === 'invalid_input'
        ? `Not recorded. ${error.problems.map((p) => `${p.field === 'notifiedOn' ? 'Date' : p.field === 'panelReference' ? 'Reference' : p.field}: ${p.message}`).join('; ')}.`
        : `Not recorded: ${error.message}.`;
    return notifierCard(ctx, await loadCaseSnapshot(ctx, caseId), {
      notice,
      noticeStyle: 'attention',
      values: { notifiedOn, panelReference },
    });
  },
});
