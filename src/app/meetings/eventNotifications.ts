import { randomBytes, timingSafeEqual } from 'node:crypto';

import {
  findGraphSubscription,
  listGraphSubscriptions,
  replaceGraphSubscription,
  setGraphSubscriptionExpiry,
} from '../../adapters/store/graphSubscriptionRepository.ts';
import type { AppContext } from '../appContext.ts';
import type { BookingDeps } from './bookMeeting.ts';
import type { ChangeSubscriptions } from './changeSubscriptions.ts';
import { checkMeetingResponses } from './meetingResponses.ts';

/** Outlook event subscriptions last at most 4230 minutes; we ask for two days and renew a day ahead. */
const LIFETIME_MS = 2 * 24 * 3600_000;
const RENEW_BEFORE_MS = 24 * 3600_000;

/**
 * Keeps one subscription on the partnership mailbox's events, so attendees' answers arrive as they
 * happen: created if there is none (or it lapsed), renewed when it has less than a day left.
 */
export async function ensureEventSubscription(
  ctx: AppContext,
  subscriptions: ChangeSubscriptions,
  mailbox: string,
  notificationUrl: string,
): Promise<'created' | 'renewed' | 'current'> {
  const now = ctx.now();
  const resource = `users/${mailbox}/events`;
  const current = await findGraphSubscription(ctx.db, resource);
  if (current && current.expires_at.getTime() - now.getTime() > RENEW_BEFORE_MS) return 'current';
  const expiresAt = new Date(now.getTime() + LIFETIME_MS);
  if (current && current.expires_at > now) {
    await subscriptions.renew(current.id, expiresAt);
    await setGraphSubscriptionExpiry(ctx.db, current.id, expiresAt);
    return 'renewed';
  }
  const clientState = randomBytes(32).toString('hex'); // at most 128 characters, per Graph
  const created = await subscriptions.create({ resource, notificationUrl, clientState, expiresAt });
  await ctx.db.transaction(async (tx) => {
    await replaceGraphSubscription(tx, { id: created.id, resource, clientState, expiresAt: created.expiresAt, createdAt: now });
  });
  return 'created';
}

interface ChangeNotification {
  subscriptionId?: string;
  clientState?: string;
  resourceData?: { id?: string };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Notifications Graph posted (already acknowledged with 202): each must carry our subscription's
 * clientState, or it is ignored; for a changed event that is one of our meetings, its answers are read.
 */
export async function handleEventNotifications(deps: BookingDeps, body: unknown): Promise<{ accepted: number; rejected: number }> {
  const notifications = (body as { value?: ChangeNotification[] })?.value ?? [];
  const rows = await listGraphSubscriptions(deps.ctx.db);
  let accepted = 0;
  let rejected = 0;
  for (const n of notifications) {
    const subscription = rows.find((r) => r.id === n.subscriptionId);
    if (!subscription || !n.clientState || !sameSecret(n.clientState, subscription.client_state)) {
      rejected += 1;
      continue;
    }
    accepted += 1;
    if (n.resourceData?.id) await checkMeetingResponses(deps, n.resourceData.id);
  }
  return { accepted, rejected };
}
