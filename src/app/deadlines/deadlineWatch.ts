import { insertAlertOnce } from '../../adapters/store/alertRepository.ts';
import { advanceClockAlertStage, type DueClockRow, lockClocksDueForAlert } from '../../adapters/store/clockRepository.ts';
import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { type AlertRung, rungsToAnnounce } from '../../domain/alerts/alertLadder.ts';
import type { AppContext } from '../appContext.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';
import { alertRecipients } from './alertRecipients.ts';
import { enqueueDigestIfDue } from './dailyDigest.ts';

export interface WatchOptions {
  /** London time of the daily digest, HH:MM. */
  readonly digestTime: string;
  /** Clocks handled per transaction. */
  readonly batchSize?: number;
}

export interface TickResult {
  readonly clocks: number;
  readonly alerts: number;
  readonly digest: boolean;
}

/** The dedupe key of one rung of one clock: a later tick, or another instance, cannot raise it again. */
export function rungOf(row: { case_id: string; clock_id: string; item: string; due_date: string }, level: string) {
  return { caseId: row.case_id, clockId: row.clock_id, item: row.item, dueDate: row.due_date, level };
}

async function announce(tx: SqlExecutor, ctx: AppContext, row: DueClockRow, rung: AlertRung, now: Date): Promise<number> {
  const recipients = await alertRecipients(tx, ctx.profile, rung.roles, {
    caseId: row.case_id,
    clockId: row.clock_id,
    localAuthority: row.local_authority,
    item: row.item,
  });
  const key = rungOf(row, rung.level);
  const hours = ctx.profile.alerting.emailFallbackAfterHours;
  let raised = 0;
  for (const recipient of recipients) {
    const id = ctx.newId();
    const raisedNow = await insertAlertOnce(tx, {
      id,
      caseId: row.case_id,
      clockId: row.clock_id,
      item: row.item,
      dueDate: row.due_date,
      level: rung.level,
      recipient,
      raisedAt: now,
    });
    if (!raisedNow) continue;
    raised += 1;
    await enqueueMessage(
      tx,
      {
        dedupeKey: dedupeKeys.alertCard({ ...key, recipient }),
        caseId: row.case_id,
        kind: 'teams_dm',
        recipient,
        payload: { alertId: id },
        availableAt: now,
      },
      now,
    );
    // The email copy waits until the alert has gone unacknowledged for the profile's time; acknowledging
    // cancels it, snoozing postpones it.
    await enqueueMessage(
      tx,
      {
        dedupeKey: dedupeKeys.alertEmail({ ...key, recipient }),
        caseId: row.case_id,
        kind: 'email',
        recipient,
        payload: { alertId: id },
        availableAt: new Date(now.getTime() + hours * 3600_000),
      },
      now,
    );
  }
  await enqueueMessage(
    tx,
    {
      dedupeKey: dedupeKeys.alertChannelReply(key),
      caseId: row.case_id,
      kind: 'channel_reply',
      recipient: 'partnership_channel',
      payload: {
        caseId: row.case_id,
        clockId: row.clock_id,
        item: row.item,
        dueDate: row.due_date,
        level: rung.level,
        mention: recipients,
      },
      availableAt: now,
    },
    now,
  );
  return raised;
}

/**
 * One look at the clocks: every clock whose next alert instant has come, under row locks that other
 * instances skip, gets its reached rungs announced and its ladder moved on, in one transaction per
 * batch. Reads only the clocks due now (a partial index on next_alert_at), so its cost grows with the
 * number of due clocks, not open ones.
 */
export async function watchDeadlines(ctx: AppContext, options: WatchOptions): Promise<TickResult> {
  const now = ctx.now();
  const batchSize = options.batchSize ?? 200;
  let clocks = 0;
  let alerts = 0;
  for (;;) {
    const handled = await ctx.db.transaction(async (tx) => {
      const rows = await lockClocksDueForAlert(tx, now, batchSize);
      for (const row of rows) {
        const definition = ctx.profile.clocks.find((c) => c.id === row.clock_id);
        const ladder: AlertRung[] = row.alert_levels.map((level, i) => ({
          level,
          at: new Date(row.alert_times[i]!),
          roles: level.startsWith('escalation_')
            ? (definition?.escalation[Number(level.slice(11))]?.notify ?? [])
            : [definition?.owner ?? ''],
        }));
        const { rungs, stage } = rungsToAnnounce(ladder, row.alert_stage, now);
        for (const rung of rungs) alerts += await announce(tx, ctx, row, rung, now);
        await advanceClockAlertStage(tx, row, stage);
      }
      return rows.length;
    });
    clocks += handled;
    if (handled < batchSize) break;
  }
  const digest = await ctx.db.transaction((tx) => enqueueDigestIfDue(tx, ctx, options.digestTime, now));
  return { clocks, alerts, digest };
}
