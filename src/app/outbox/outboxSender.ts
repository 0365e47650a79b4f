import type { Logger } from '../../adapters/log/logger.ts';
import { saveCaseMessage } from '../../adapters/store/caseMessageRepository.ts';
import { findClockForAlert } from '../../adapters/store/clockRepository.ts';
import { findPartnershipChannel } from '../../adapters/store/installationRepository.ts';
import {
  claimMessages,
  type DeliveryOutcome,
  finishMessage,
  markSending,
  type OutboxKind,
  type OutboxMessage,
} from '../../adapters/store/outboxRepository.ts';
import { forgetOldSends } from '../../adapters/store/sendLogRepository.ts';
import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import type { AppContext } from '../appContext.ts';
import { cardHash } from '../cards/cardHash.ts';
import { loadCaseSnapshot } from '../cases/caseSnapshot.ts';
import { alertCard, alertHeadline, alertStillWanted, findAlert } from '../deadlines/alertView.ts';
import { digestText } from '../deadlines/dailyDigest.ts';
import { findEmailDraft, triageCard } from '../intake/triage.ts';
import { infoRequestCard } from '../lifecycle/stepCards.ts';
import { escapeHtml } from '../mail/caseEmails.ts';
import type { MailGateway } from '../mail/mailGateway.ts';
import { type CaseEmail, sendCaseEmail } from '../mail/sendCaseEmail.ts';
import { bookMeeting } from '../meetings/bookMeeting.ts';
import type { CalendarGateway } from '../meetings/calendarGateway.ts';
import { ensureCaseThread, reachablePeople, refreshCaseMessages, sayInCaseThread } from '../teams/caseBroadcaster.ts';
import { caseMessageHandlers } from '../teams/caseMessageDelivery.ts';
import type { TeamsGateway } from '../teams/teamsGateway.ts';
import { DeliveryFailure } from './deliveryFailure.ts';
import { rateLimitedGateway } from './rateLimitedGateway.ts';

export interface SenderDeps {
  readonly ctx: AppContext;
  readonly gateway: TeamsGateway;
  readonly logger: Logger;
  /** This process: claims are made in its name, so a crash can be told apart from a slow send. */
  readonly instanceId: string;
  /** Real time, for Teams' rate limits (the injected clock may be a test's fake). */
  readonly wallNow?: () => Date;
  /** How the sender waits for a slot within Teams' limits (a test's fake moves `wallNow` on). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Mail from the partnership mailbox (Graph in Azure, local in the demo). */
  readonly mail?: MailGateway;
  /** Where meetings are booked (Graph in Azure, the local calendar in the demo), as the partnership mailbox. */
  readonly calendar?: CalendarGateway;
  readonly organizer?: string;
  /** How long a claim holds before another instance may take the message over (it crashed, or hung). */
  readonly leaseMs?: number;
}

const MAX_ATTEMPTS = 8;

/** Exponential backoff with ±20 % jitter, from 2 s to 5 min; a Retry-After header wins if longer. */
export function backoffMs(attempt: number, random: () => number, retryAfterMs?: number): number {
  const base = Math.min(300_000, 2_000 * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs ?? 0, Math.round(base * (0.8 + 0.4 * random())));
}

/**
 * How long one Teams call waits in place for its slot (the 1 s and 2 s windows), and how long a
 * round waits in all. A longer wait (the 60 per 30 s or the hour window full, or a round that has
 * waited enough) sends the message back to the outbox for then, rather than hold its claim, or keep
 * an instance that is stopping.
 */
const MAX_WAIT_PER_CALL_MS = 3_000;
const MAX_WAIT_PER_ROUND_MS = 10_000;

/** A round's gateway: every call waits for its slot in Teams' windows (rateLimitedGateway.ts), within the round's budget. */
function limitedGatewayFor(deps: SenderDeps, leaseMs: number, budget: { waitedMs: number; readonly limitMs: number }): TeamsGateway {
  return rateLimitedGateway(deps.gateway, {
    db: deps.ctx.db,
    ...(deps.wallNow ? { wallNow: deps.wallNow } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    maxWaitMs: Math.min(MAX_WAIT_PER_CALL_MS, leaseMs / 4),
    budget,
  });
}

async function deliver(deps: SenderDeps, message: OutboxMessage, channel: PartnershipChannel): Promise<DeliveryOutcome> {
  const { ctx, gateway } = deps;
  const handler = caseMessageHandlers[message.kind];
  if (handler) return handler({ ctx, gateway, logger: deps.logger, channel }, message);
  if (message.kind === 'channel_post') {
    const text = await digestText(ctx, String(message.payload.digest), ctx.now());
    await gateway.postText(channel, text);
    return { result: 'sent' };
  }
  if (message.kind === 'channel_reply') {
    const p = message.payload as { caseId: string; clockId: string; item: string; dueDate: string; level: string; mention: string[] };
    const clock = await findClockForAlert(ctx.db, p);
    if (!clock || clock.due_date !== p.dueDate || !['pending', 'due_soon', 'overdue'].includes(clock.state))
      return { result: 'cancelled', reason: 'the clock stopped before the alert went out' };
    const thread = await ensureCaseThread({ ctx, gateway, logger: deps.logger }, channel, p.caseId);
    const people = await reachablePeople({ ctx, gateway, logger: deps.logger }, channel, p.mention);
    const { title, clockText } = alertHeadline(ctx.profile, p);
    await gateway.replyInThread(
      channel,
      thread.conversationId,
      `${title}. ${clock.reference} (${clock.initials}): ${clockText}.`,
      people.map((x) => ({ teamsUserId: x.teamsUserId, name: x.displayName ?? 'owner' })),
    );
    // The case card's clock line should say what the alert says ("OVERDUE"); the alert is delivered
    // whether or not that update goes through.
    await refreshCaseMessages({ ctx, gateway, logger: deps.logger }, p.caseId).catch((error: unknown) =>
      deps.logger.warn(
        { err: error instanceof Error ? error.message : String(error), caseId: p.caseId },
        'could not refresh the case card after an alert',
      ),
    );
    return { result: 'sent' };
  }
  if (message.kind === 'teams_dm') {
    const alert = await findAlert(ctx.db, String(message.payload.alertId));
    if (!alert || !alertStillWanted(alert)) return { result: 'cancelled', reason: 'acknowledged, or the clock stopped' };
    const [person] = await reachablePeople({ ctx, gateway, logger: deps.logger }, channel, [alert.recipient]);
    if (!person) return { result: 'failed', error: 'recipient is not in the partnership team' };
    const card = alertCard(ctx.profile, alert);
    const sent = await gateway.sendPersonalCard(channel, person.teamsUserId, card, alertHeadline(ctx.profile, alert).title);
    // Remembered, so the card follows the case: no buttons once acknowledged or once the clock stops.
    await saveCaseMessage(ctx.db, {
      caseId: alert.caseId,
      purpose: 'alert',
      recipient: alert.id,
      ...sent,
      postedAt: ctx.now(),
      cardHash: cardHash(card),
    });
    return { result: 'sent' };
  }
  if (message.kind === 'book_meeting' && deps.calendar && deps.organizer) {
    const p = message.payload as { caseId: string; kind: string; slotStart?: string; slotEnd?: string };
    const chosen = p.slotStart && p.slotEnd ? { start: new Date(p.slotStart), end: new Date(p.slotEnd) } : undefined;
    const result = await bookMeeting(
      { ctx, gateway, logger: deps.logger, calendar: deps.calendar, organizer: deps.organizer },
      p.caseId,
      p.kind,
      chosen,
    );
    return result === 'no_window'
      ? { result: 'cancelled', reason: 'the decision was made before a meeting was needed' }
      : { result: 'sent' };
  }
  if (message.kind === 'triage_card') {
    const draft = await findEmailDraft(ctx.db, String(message.payload.emailReferralId));
    if (!draft || draft.status !== 'draft') return { result: 'cancelled', reason: 'already triaged' };
    const [person] = await reachablePeople({ ctx, gateway, logger: deps.logger }, channel, [message.recipient]);
    if (!person) return { result: 'failed', error: 'the business manager is not in the partnership team' };
    await gateway.sendPersonalCard(channel, person.teamsUserId, triageCard(draft), 'An email to the partnership mailbox needs triage');
    return { result: 'sent' };
  }
  if (message.kind === 'info_request') {
    // An agency's information request, 1:1 to its safeguarding lead, built now from the case.
    const p = message.payload as { caseId: string; itemId: string };
    const snapshot = await loadCaseSnapshot(ctx, p.caseId);
    const request = snapshot.events.filter((e) => e.type === 'info_request_sent' && e.data?.itemId === p.itemId).at(-1);
    if (!request || snapshot.events.some((e) => e.type === 'info_return_recorded' && e.data?.itemId === p.itemId))
      return { result: 'cancelled', reason: 'the return is already recorded' };
    const [person] = await reachablePeople({ ctx, gateway, logger: deps.logger }, channel, [message.recipient]);
    if (!person) return { result: 'failed', error: "the agency's safeguarding lead is not in the partnership team" };
    const card = infoRequestCard(snapshot.record, ctx.profile, request, undefined);
    const sent = await gateway.sendPersonalCard(channel, person.teamsUserId, card, `Information request: ${snapshot.record.reference}`);
    // Remembered, so the card follows the case: no buttons once the return is recorded, by anyone.
    await saveCaseMessage(ctx.db, {
      caseId: p.caseId,
      purpose: 'info_request',
      recipient: `${message.recipient}|${p.itemId}`,
      ...sent,
      postedAt: ctx.now(),
      cardHash: cardHash(card),
    });
    return { result: 'sent' };
  }
  if (message.kind === 'case_email' && deps.mail && deps.organizer) {
    await sendCaseEmail(
      { ctx, gateway, logger: deps.logger, mail: deps.mail, mailbox: deps.organizer },
      message.payload as unknown as CaseEmail,
    );
    return { result: 'sent' };
  }
  if (message.kind === 'email' && deps.mail && deps.organizer) {
    // The email copy of an alert nobody acknowledged within the profile's time.
    const alert = await findAlert(ctx.db, String(message.payload.alertId));
    if (!alert || !alertStillWanted(alert)) return { result: 'cancelled', reason: 'acknowledged, or the clock stopped' };
    const [person] = await reachablePeople({ ctx, gateway, logger: deps.logger }, channel, [alert.recipient]);
    if (!person?.email) return { result: 'failed', error: 'no email address known for the recipient' };
    const { title, clockText } = alertHeadline(ctx.profile, alert);
    await deps.mail.send({
      from: deps.organizer,
      to: [{ email: person.email, ...(person.displayName ? { name: person.displayName } : {}) }],
      subject: `${title}: ${alert.reference}`,
      html: `<p>${escapeHtml(alert.reference)} (${escapeHtml(alert.initials)}): ${escapeHtml(clockText)}.</p><p>This alert was sent to you in Teams and has not been acknowledged. Open the case in Teams to act on it, or acknowledge the alert there.</p>`,
    });
    return { result: 'sent' };
  }
  return { result: 'failed', error: `no adapter delivers ${message.kind} messages` };
}

/** A booking or case email that could not be done is said in the case thread, never dropped silently. */
async function reportFailure(deps: SenderDeps, message: OutboxMessage, channel: PartnershipChannel, error: string): Promise<void> {
  if (!message.caseId || (message.kind !== 'book_meeting' && message.kind !== 'case_email' && message.kind !== 'info_request')) return;
  const what = {
    book_meeting: 'The meeting could not be booked',
    case_email: 'An email could not be sent',
    info_request: 'An information request could not be sent in Teams',
  }[message.kind];
  try {
    await sayInCaseThread(
      { ctx: deps.ctx, gateway: deps.gateway, logger: deps.logger },
      channel,
      message.caseId,
      `${what}: ${error}. The business manager should follow this up.`,
    );
  } catch (reportError) {
    deps.logger.error(
      { outbox: message.id, err: reportError instanceof Error ? reportError.message : String(reportError) },
      'could not report a failed delivery in the thread',
    );
  }
}

function outcomeOf(deps: SenderDeps, message: OutboxMessage, error: unknown): DeliveryOutcome {
  const failure =
    error instanceof DeliveryFailure ? error : new DeliveryFailure('transient', error instanceof Error ? error.message : String(error));
  // Held back by the bot's own count of Teams' limits: sent again when the window has room, and not
  // counted as an attempt (a busy hour must not use up a message's attempts).
  if (failure.kind === 'postponed')
    return {
      result: 'retry',
      at: new Date(deps.ctx.now().getTime() + (failure.retryAfterMs ?? 1_000)),
      error: failure.message,
      counted: false,
    };
  if (failure.kind === 'blocked' || failure.kind === 'permanent' || failure.kind === 'uncertain')
    return { result: 'failed', error: failure.message };
  if (message.attempts >= MAX_ATTEMPTS)
    return { result: 'failed', error: `gave up after ${message.attempts} attempts: ${failure.message}` };
  const delay = backoffMs(message.attempts, deps.random ?? Math.random, failure.retryAfterMs);
  return { result: 'retry', at: new Date(deps.ctx.now().getTime() + delay), error: failure.message };
}

export interface SendResult {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly resent: number;
}

/** Claims and delivers what is due in the outbox, until none is left; each message ends sent, retried later, cancelled or failed. */
export async function sendDueMessages(
  deps: SenderDeps,
  options: { limit?: number; kinds?: readonly OutboxKind[] } = {},
): Promise<SendResult> {
  const limit = options.limit ?? 20;
  const totals = { sent: 0, retried: 0, failed: 0, cancelled: 0, resent: 0 };
  const channel = await findPartnershipChannel(deps.ctx.db);
  if (!channel) return totals; // nowhere to deliver yet: messages wait
  const leaseMs = deps.leaseMs ?? 60_000;
  // Every Teams call of a delivery waits for its slot within Teams' limits, counted in the store.
  const budget = { waitedMs: 0, limitMs: Math.min(MAX_WAIT_PER_ROUND_MS, leaseMs / 4) };
  const limited: SenderDeps = { ...deps, gateway: limitedGatewayFor(deps, leaseMs, budget) };
  for (;;) {
    const batch = await claimMessages(deps.ctx.db, {
      instanceId: deps.instanceId,
      now: deps.ctx.now(),
      limit,
      leaseMs,
      ...(options.kinds ? { kinds: options.kinds } : {}),
    });
    for (const message of batch) {
      if (message.resend) totals.resent += 1;
      let outcome: DeliveryOutcome;
      try {
        // Earlier messages of the batch may have waited for Teams' limits past this one's lease, and
        // another instance may have taken it over: then it is theirs to send.
        if (!(await markSending(deps.ctx.db, message.id, message.claimToken, deps.ctx.now(), new Date(deps.ctx.now().getTime() + leaseMs))))
          continue;
        outcome = await deliver(limited, message, channel);
      } catch (error) {
        outcome = outcomeOf(deps, message, error);
        deps.logger.warn(
          {
            outbox: message.id,
            kind: message.kind,
            attempt: message.attempts,
            outcome: outcome.result,
            error: 'error' in outcome ? outcome.error : undefined,
          },
          'delivery did not go through',
        );
      }
      await finishMessage(deps.ctx.db, message.id, message.claimToken, outcome, deps.ctx.now());
      if (outcome.result === 'failed') await reportFailure(limited, message, channel, outcome.error);
      totals[outcome.result === 'retry' ? 'retried' : outcome.result] += 1;
    }
    // A round that has waited its budget for Teams' limits ends after this batch: the next round (or
    // another instance) takes up what is left, and a stopping instance is not held.
    if (batch.length < limit || budget.waitedMs >= budget.limitMs) {
      // A logged request is needed for its key's longest window (an hour at most); keep the log small.
      if (totals.sent > 0) await forgetOldSends(deps.ctx.db, (deps.wallNow ?? (() => new Date()))());
      return totals;
    }
  }
}
