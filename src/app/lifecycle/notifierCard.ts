import { describeClock } from '../../domain/clocks/describeClock.ts';
import { fullDate } from '../../domain/time/formatLondon.ts';
import { londonDateOf } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import { type AdaptiveCard, renderCard } from '../cards/cardTemplates.ts';
import { escapeMarkdown } from '../cards/cardText.ts';
import type { CaseSnapshot } from '../cases/caseSnapshot.ts';

/** The notifier's card: what to do, by when, and (while it is awaited) the form to record the Panel notification. */
export function notifierCard(
  ctx: AppContext,
  snapshot: CaseSnapshot,
  options: { notice?: string; noticeStyle?: 'good' | 'attention'; values?: { notifiedOn?: string; panelReference?: string } } = {},
): AdaptiveCard {
  const { record, clocks } = snapshot;
  const clock = clocks.find((c) => c.clockId === 'panel_notification');
  return renderCard('notifierCard', {
    caseId: record.id,
    reference: record.reference,
    localAuthority: record.localAuthority,
    initials: record.summary.initials,
    ageBand: record.summary.ageBand,
    incidentDateText: fullDate(record.summary.incidentDate),
    clockText: clock ? describeClock(clock) : 'within 5 working days',
    canConfirm: record.stage === 'notification',
    today: londonDateOf(ctx.now()),
    notifiedOn: options.values?.notifiedOn ?? '',
    panelReference: options.values?.panelReference ?? '',
    notice: options.notice ? escapeMarkdown(options.notice) : '',
    noticeStyle: options.noticeStyle ?? 'good',
  });
}
