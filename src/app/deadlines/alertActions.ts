import { markAlertAcknowledged, setAlertSnoozedUntil } from '../../adapters/store/alertRepository.ts';
import { appendAudit } from '../../adapters/store/auditLog.ts';
import { cancelQueued, enqueueMessage, postponeQueued } from '../../adapters/store/outboxRepository.ts';
import { londonDateTime } from '../../domain/time/formatLondon.ts';
import { londonDateOf, londonInstant } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import type { AdaptiveCard } from '../cards/cardTemplates.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';
import type { Actor } from '../teams/actor.ts';
import { alertCard, type AlertRecord, findAlert } from './alertView.ts';

/** Reminders and email copies of one alert share this dedupe-key prefix. */
function messagesOf(alert: AlertRecord): string {
  return dedupeKeys.alertMessagesOf(alert);
}

/** When a snoozed alert comes back: 09:00 London on the next working day. */
export function snoozeUntil(ctx: AppContext, now: Date): Date {
  return londonInstant(ctx.calendar.addWorkingDays(londonDateOf(now), 1), '09:00');
}

async function owned(ctx: AppContext, alertId: string, actor: Actor): Promise<AlertRecord | string> {
  const alert = await findAlert(ctx.db, alertId);
  if (!alert) return 'That alert was not found.';
  if (alert.recipient !== actor.aadObjectId) return 'Only the person this alert was sent to can acknowledge or snooze it.';
  return alert;
}

/**
 * "Acknowledge": the recipient has seen it. No more reminders or email copy of this alert. The clock
 * itself keeps running until the step is done. Audited.
 */
export async function acknowledgeAlert(ctx: AppContext, alertId: string, actor: Actor): Promise<{ card?: AdaptiveCard; refusal?: string }> {
  const alert = await owned(ctx, alertId, actor);
  if (typeof alert === 'string') return { refusal: alert };
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await markAlertAcknowledged(tx, alert.id, at);
    await cancelQueued(tx, messagesOf(alert), 'acknowledged');
    await appendAudit(tx, {
      at,
      actor: actor.aadObjectId,
      action: 'alert_acknowledged',
      caseId: alert.caseId,
      details: { reference: alert.reference, clock: alert.clockId, level: alert.level },
    });
  });
  return {
    card: alertCard(ctx.profile, { ...alert, acknowledgedAt: at }, `Acknowledged ${londonDateTime(at)}. No more reminders about this.`),
  };
}

/** "Snooze until tomorrow": remind again at 09:00 on the next working day, and hold the email copy until then. Audited. */
export async function snoozeAlert(ctx: AppContext, alertId: string, actor: Actor): Promise<{ card?: AdaptiveCard; refusal?: string }> {
  const alert = await owned(ctx, alertId, actor);
  if (typeof alert === 'string') return { refusal: alert };
  const at = ctx.now();
  const until = snoozeUntil(ctx, at);
  await ctx.db.transaction(async (tx) => {
    await setAlertSnoozedUntil(tx, alert.id, until);
    await postponeQueued(tx, messagesOf(alert), until);
    await enqueueMessage(
      tx,
      {
        dedupeKey: dedupeKeys.alertSnoozed(alert, londonDateOf(until)),
        caseId: alert.caseId,
        kind: 'teams_dm',
        recipient: alert.recipient,
        payload: { alertId: alert.id },
        availableAt: until,
      },
      at,
    );
    await appendAudit(tx, {
      at,
      actor: actor.aadObjectId,
      action: 'alert_snoozed',
      caseId: alert.caseId,
      details: { reference: alert.reference, clock: alert.clockId, level: alert.level, until: until.toISOString() },
    });
  });
  return { card: alertCard(ctx.profile, alert, `Snoozed: you will be reminded ${londonDateTime(until)}.`) };
}
