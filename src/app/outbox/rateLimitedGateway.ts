import { setTimeout as sleepFor } from 'node:timers/promises';

import {
  markAnswered,
  personalChatWith,
  rememberPersonalChat,
  type SlotKey,
  takeSendSlot,
} from '../../adapters/store/sendLogRepository.ts';
import type { Database } from '../../adapters/store/sqlExecutor.ts';
import {
  createKey,
  personalChatKey,
  rosterKey,
  TENANT_LIMITS,
  tenantKey,
  THREAD_CREATE_LIMITS,
  THREAD_READ_LIMITS,
  THREAD_SEND_LIMITS,
  threadOf,
} from '../../domain/delivery/teamsRateLimits.ts';
import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import type { TeamsGateway } from '../teams/teamsGateway.ts';
import { DeliveryFailure } from './deliveryFailure.ts';

export interface RateLimitOptions {
  readonly db: Database;
  /** Real time: Teams counts real seconds, whatever clock the application is given. */
  readonly wallNow?: () => Date;
  /** How to wait (a test's fake moves its wall clock on). */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The longest a call waits in place, in all. A longer wait throws DeliveryFailure('postponed')
   * carrying it, so the outbox sends the message then, rather than hold its claim that long.
   */
  readonly maxWaitMs?: number;
  /**
   * Waiting shared by every call through this gateway (a sender's round): once `limitMs` is spent,
   * any call that would wait is postponed, so a round under throttling ends, and an instance can
   * stop, in bounded time.
   */
  readonly budget?: { waitedMs: number; readonly limitMs: number };
}

const limited = new WeakSet<TeamsGateway>();
/** Per store: 1:1 chat id → the person's Teams id. A chat's person never changes, so this is never stale. */
const chatsByStore = new WeakMap<Database, Map<string, string>>();

/**
 * The gateway with every call held to Teams' limits (domain/delivery/teamsRateLimits.ts), counted
 * in the database so every instance shares them: each call first takes its slot in its thread's
 * windows and the tenant's, then goes. Threads: the channel for a post, a reply in any of its reply
 * chains or an update of a card there (a new reply chain is a creation there); the person's 1:1 chat
 * for a 1:1 card (a creation and a send, two requests to the tenant) and an update there; the team
 * for a roster read. Must not be
 * called inside a transaction on PGlite (one connection): see TeamsGateway.beforeThreadStart.
 */
export function rateLimitedGateway(gateway: TeamsGateway, options: RateLimitOptions): TeamsGateway {
  if (limited.has(gateway)) return gateway;
  const wallNow = options.wallNow ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
  const budget = options.budget;
  const chats = chatsByStore.get(options.db) ?? chatsByStore.set(options.db, new Map()).get(options.db)!;

  /** Waits for the slot and logs the request; returns its log rows. */
  const slot = async (keys: readonly SlotKey[], ops = 1, inFlight = true): Promise<readonly number[]> => {
    let waited = 0;
    for (;;) {
      const decision = await takeSendSlot(options.db, keys, ops, wallNow(), { inFlight });
      if (decision.go) return decision.rows;
      if (waited + decision.waitMs > maxWaitMs || (budget && budget.waitedMs + decision.waitMs > budget.limitMs)) {
        throw new DeliveryFailure(
          'postponed',
          `held back by Teams' limit of ${decision.window.limit} per ${decision.window.seconds} s`,
          decision.waitMs,
        );
      }
      await sleep(decision.waitMs);
      waited += decision.waitMs;
      if (budget) budget.waitedMs += decision.waitMs;
    }
  };
  /** Takes the slot, makes the call, and counts the request from when its answer came (or it failed). */
  const limitedCall = async <T>(keys: readonly SlotKey[], work: () => Promise<T>, ops = 1): Promise<T> => {
    const rows = await slot(keys, ops);
    try {
      return await work();
    } finally {
      // Not recorded, it counts as in flight for a minute: later sends wait longer, never less.
      await markAnswered(options.db, rows, wallNow()).catch(() => undefined);
    }
  };
  const tenant = (channel: PartnershipChannel): SlotKey => ({ key: tenantKey(channel.tenantId), windows: TENANT_LIMITS });
  const sends = (key: string): SlotKey => ({ key, windows: THREAD_SEND_LIMITS });
  const creates = (key: string): SlotKey => ({ key: createKey(key), windows: THREAD_CREATE_LIMITS });
  /** The thread a conversation counts against: a channel's reply chain is the channel; a known 1:1 chat is its person's. */
  const threadKey = async (channel: PartnershipChannel, conversationId: string): Promise<string> => {
    const thread = threadOf(conversationId);
    if (thread === channel.channelId || conversationId.includes(';messageid=')) return thread;
    const person = chats.get(conversationId) ?? (await personalChatWith(options.db, conversationId));
    if (!person) return thread; // a chat the bot has no record of sending to: counted by its own id
    chats.set(conversationId, person);
    return personalChatKey(person);
  };

  const wrapped: TeamsGateway = {
    // Its slot is taken by beforeThreadStart, just before, outside the case's lock, and counted from
    // then: its answer comes inside that lock, where the store cannot be written to from here.
    startChannelThread: (channel, card, summary) => gateway.startChannelThread(channel, card, summary),
    async beforeThreadStart(channel) {
      // A new reply chain is a conversation created in the channel.
      await slot([creates(channel.channelId), tenant(channel)], 1, false);
    },
    async replyInThread(channel, threadConversationId, text, mentions) {
      const keys = [sends(await threadKey(channel, threadConversationId)), tenant(channel)];
      return limitedCall(keys, () => gateway.replyInThread(channel, threadConversationId, text, mentions));
    },
    async replyCardInThread(channel, threadConversationId, card, summary) {
      const keys = [sends(await threadKey(channel, threadConversationId)), tenant(channel)];
      return limitedCall(keys, () => gateway.replyCardInThread(channel, threadConversationId, card, summary));
    },
    async postText(channel, text) {
      return limitedCall([sends(channel.channelId), tenant(channel)], () => gateway.postText(channel, text));
    },
    async updateCard(channel, message, card) {
      const keys = [sends(await threadKey(channel, message.conversationId)), tenant(channel)];
      return limitedCall(keys, () => gateway.updateCard(channel, message, card));
    },
    async sendPersonalCard(channel, teamsUserId, card, summary) {
      // Two requests: the chat's creation, then the card sent in it.
      const chat = personalChatKey(teamsUserId);
      const keys = [creates(chat), sends(chat), { ...tenant(channel), ops: 2 }];
      const sent = await limitedCall(keys, () => gateway.sendPersonalCard(channel, teamsUserId, card, summary));
      if (chats.get(sent.conversationId) !== teamsUserId) {
        chats.set(sent.conversationId, teamsUserId);
        // The card went: failing to remember the chat only means its updates count under its own id.
        await rememberPersonalChat(options.db, sent.conversationId, teamsUserId).catch(() => undefined);
      }
      return sent;
    },
    async teamRoster(channel) {
      // One request per page of 500 members; the first is counted (a partnership team is smaller).
      return limitedCall([{ key: rosterKey(channel.teamId), windows: THREAD_READ_LIMITS }, tenant(channel)], () =>
        gateway.teamRoster(channel),
      );
    },
  };
  limited.add(wrapped);
  return wrapped;
}
