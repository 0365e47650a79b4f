/**
 * Why a message could not be delivered, in terms the sender acts on:
 * - throttled / transient: try again later (429, 412, 5xx, network), after `retryAfterMs` if given;
 * - blocked: the bot can no longer write there (403 MessageWritesBlocked: removed or blocked) — record it, do not retry;
 * - permanent: the request itself is wrong (other 4xx) — record it, do not retry;
 * - uncertain: no answer came back from a request that cannot be repeated safely (sendMail): it may
 *   have been sent, so it is not retried (a duplicate email is worse) and is reported instead;
 * - postponed: nothing was sent; the bot's own count of Teams' limits says wait `retryAfterMs`, longer
 *   than a sender waits in place, so the message goes back to the outbox for then, not counted as an attempt.
 */
export class DeliveryFailure extends Error {
  override name = 'DeliveryFailure';
  constructor(
    readonly kind: 'throttled' | 'transient' | 'blocked' | 'permanent' | 'uncertain' | 'postponed',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
