/**
 * Teams' limits on what one bot may ask of the Bot Connector (platform.md section 1, from
 * learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit), and the rule that says whether
 * a request may go now or how long it must wait. Windows slide: a request counted at `t` holds a
 * window of `seconds` until `t + seconds` (it has left the window at that instant exactly), here a
 * little longer (GUARD_MS).
 *
 * Teams counts a request when it arrives, which is after it was sent and before its answer came
 * back. So a request is counted from when its answer came back, and while it is in flight as if it
 * were arriving now: a slot is only given a full window after the requests before it arrived,
 * however long they took to get there.
 */
export interface RateWindow {
  readonly limit: number;
  readonly seconds: number;
}

/**
 * Per bot, per thread, for sending to a conversation: a post, a reply, a card update (updates are not
 * in Teams' table; they are counted as sends). "A thread is a 1:1 chat, a group chat or a channel"
 * (platform.md section 1): every reply chain in a channel counts against the channel.
 */
export const THREAD_SEND_LIMITS: readonly RateWindow[] = [
  { limit: 7, seconds: 1 },
  { limit: 8, seconds: 2 },
  { limit: 60, seconds: 30 },
  { limit: 1800, seconds: 3600 },
];

/**
 * Per bot, per thread, for creating a conversation, counted apart from sends (Teams' table has a row
 * for each, msteams-docs bots/how-to/rate-limit.md): a new reply chain in a channel, a 1:1 chat
 * (Teams gives back the one that exists, but the request still counts).
 */
export const THREAD_CREATE_LIMITS: readonly RateWindow[] = THREAD_SEND_LIMITS;

/** Per bot, per thread, for reading conversation members (the team roster) and conversations. */
export const THREAD_READ_LIMITS: readonly RateWindow[] = [
  { limit: 14, seconds: 1 },
  { limit: 16, seconds: 2 },
  { limit: 120, seconds: 30 },
  { limit: 3600, seconds: 3600 },
];

/** Per app, per tenant: every request the bot makes to the tenant, from every instance. */
export const TENANT_LIMITS: readonly RateWindow[] = [{ limit: 50, seconds: 1 }];

/** How much longer than Teams' window a request is counted here: instances' clocks differ a little. */
export const GUARD_MS = 50;

/**
 * The longest a request counts as in flight (arriving now). One whose answer never came back (its
 * instance died) then counts from this long after it was sent, so it cannot hold a window forever.
 */
export const IN_FLIGHT_LIMIT_MS = 60_000;

/** How long a request holds a window here: the window plus the guard. */
export const spanMs = (window: RateWindow, guardMs = GUARD_MS): number => window.seconds * 1000 + guardMs;

/** A request as the log has it: when it was sent, how many operations, when its answer came (null: in flight). */
export interface LoggedRequest {
  readonly at: number;
  readonly ops: number;
  readonly answeredAt: number | null;
}

/** When a logged request counts as having reached Teams, for the rule at `nowMs`. */
export function countedAt(request: LoggedRequest, nowMs: number): number {
  return request.answeredAt ?? Math.min(nowMs, request.at + IN_FLIGHT_LIMIT_MS);
}

/** One window's use now: the operations in it, and when the oldest of them counts from (ms since the epoch). */
export interface WindowUse {
  readonly used: number;
  readonly oldestAt: number | null;
}

export type SlotDecision =
  | { readonly go: true }
  /** Wait at least `waitMs`, then ask again (the window that is full may not be the only one). */
  | { readonly go: false; readonly waitMs: number; readonly window: RateWindow };

/**
 * Whether `ops` more operations may go now, given each window's use (`uses[i]` is `windows[i]`'s,
 * counted over its span: see spanMs). When a window is full, the wait is until its oldest operation
 * leaves it; with several full, the longest such wait. Nothing ever goes early: after the wait, ask
 * again.
 */
export function decideSlot(
  windows: readonly RateWindow[],
  uses: readonly WindowUse[],
  nowMs: number,
  { ops = 1, guardMs = GUARD_MS }: { ops?: number; guardMs?: number } = {},
): SlotDecision {
  if (uses.length !== windows.length) throw new Error('decideSlot: one use per window');
  const waits: SlotDecision[] = windows.map((window, i) => {
    if (ops > window.limit) throw new Error(`decideSlot: ${ops} operations can never fit ${window.limit} per ${window.seconds} s`);
    const use = uses[i]!;
    if (use.used + ops <= window.limit) return { go: true };
    // Full: the oldest operation in the window frees its share when it leaves. An operation stamped
    // later than now (another instance's clock a little ahead) still holds the window that long.
    const leavesAt = (use.oldestAt ?? nowMs) + spanMs(window, guardMs);
    return { go: false, waitMs: Math.max(1, leavesAt - nowMs), window };
  });
  return allOf(waits);
}

/** Several keys' decisions for one request (its thread and its tenant): it goes only if all say go. */
export function allOf(decisions: readonly SlotDecision[]): SlotDecision {
  let result: SlotDecision = { go: true };
  for (const d of decisions) if (!d.go && (result.go || d.waitMs > result.waitMs)) result = d;
  return result;
}

/**
 * Each window's use at `nowMs` from a log of requests: what the store computes in SQL. A request
 * counted ahead of this clock (another instance's runs a little fast) counts, up to one span ahead:
 * a clock far off cannot hold a window for longer than that.
 */
export function windowUses(log: readonly LoggedRequest[], windows: readonly RateWindow[], nowMs: number, guardMs = GUARD_MS): WindowUse[] {
  return windows.map((w) => {
    const span = spanMs(w, guardMs);
    const inside = log.map((r) => ({ t: countedAt(r, nowMs), ops: r.ops })).filter(({ t }) => t > nowMs - span && t <= nowMs + span);
    return {
      used: inside.reduce((n, r) => n + r.ops, 0),
      oldestAt: inside.length ? Math.min(...inside.map((r) => r.t)) : null,
    };
  });
}

/** How long a request must be remembered for a set of windows: the longest span. */
export const longestSpanMs = (windows: readonly RateWindow[], guardMs = GUARD_MS): number =>
  Math.max(...windows.map((w) => spanMs(w, guardMs)));

/**
 * The thread a conversation id belongs to for the per-thread limits: a reply chain in a channel,
 * "<channel id>;messageid=<root id>", is its channel. Any other id (a 1:1 or group chat) is itself.
 */
export function threadOf(conversationId: string): string {
  const at = conversationId.indexOf(';messageid=');
  return at === -1 ? conversationId : conversationId.slice(0, at);
}

/** Counting keys: a 1:1 chat by the person's Teams id (known before the chat exists), a tenant by its id. */
export const personalChatKey = (teamsUserId: string): string => `dm:${teamsUserId}`;
/** A thread's conversation creations, counted apart from its sends. */
export const createKey = (threadKey: string): string => `create:${threadKey}`;
export const tenantKey = (tenantId: string): string => `tenant:${tenantId}`;
export const rosterKey = (teamId: string): string => `members:${teamId}`;
