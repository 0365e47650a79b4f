import { digestFacts } from '../../adapters/store/digestRepository.ts';
import { enqueueMessage } from '../../adapters/store/outboxRepository.ts';
import type { SqlExecutor } from '../../adapters/store/sqlExecutor.ts';
import { dayMonth } from '../../domain/time/formatLondon.ts';
import { londonDateOf, londonInstant } from '../../domain/time/londonTime.ts';
import type { AppContext } from '../appContext.ts';
import { dedupeKeys } from '../outbox/dedupeKeys.ts';

/** On a working day, once it is past the digest time, queue that day's digest (once, by its date). */
export async function enqueueDigestIfDue(tx: SqlExecutor, ctx: AppContext, digestTime: string, now: Date): Promise<boolean> {
  const today = londonDateOf(now);
  if (!ctx.calendar.isWorkingDay(today) || now < londonInstant(today, digestTime)) return false;
  return enqueueMessage(
    tx,
    {
      dedupeKey: dedupeKeys.digest(today),
      caseId: null,
      kind: 'channel_post',
      recipient: 'partnership_channel',
      payload: { digest: today },
      availableAt: now,
    },
    now,
  );
}

/**
 * The digest's text, written when it is sent so it is current: open cases, what falls due in the
 * next two working days, what is overdue, and messages that could not be delivered (e.g. the bot was
 * removed from a chat) or are waiting for email. Case references and initials only.
 */
export async function digestText(ctx: AppContext, date: string, now: Date): Promise<string> {
  const horizon = ctx.calendar.addWorkingDays(date, 2);
  const { openCases: open, clocks, failedMessages: failed, heldEmails: held } = await digestFacts(ctx.db, horizon, now);
  const name = (id: string) => ctx.profile.clocks.find((c) => c.id === id)?.short ?? id;
  const line = (r: { reference: string; initials: string; clock_id: string; due_date: string }) =>
    `- ${r.reference} (${r.initials}): ${name(r.clock_id)}, due by the end of ${dayMonth(r.due_date)}`;
  const overdue = clocks.filter((r) => new Date(r.due_at) <= now);
  const soon = clocks.filter((r) => new Date(r.due_at) > now);
  return [
    `Daily digest, ${dayMonth(date)}: ${open} open case${open === 1 ? '' : 's'}.`,
    '',
    `Overdue (${overdue.length}):`,
    ...(overdue.length ? overdue.map(line) : ['- none']),
    '',
    `Due in the next 2 working days (${soon.length}):`,
    ...(soon.length ? soon.map(line) : ['- none']),
    ...(failed
      ? [
          '',
          `Not delivered in the last 7 days: ${failed} message${failed === 1 ? '' : 's'} (for example, the bot was removed from a chat). See the dashboard.`,
        ]
      : []),
    ...(held ? ['', `Email copies waiting for the mail service: ${held} (pending until Outlook is connected).`] : []),
  ].join('\n');
}
