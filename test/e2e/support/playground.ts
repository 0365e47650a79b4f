// Lets an end-to-end test act as people other than the playground's signed-in one. Starting the
// playground and writing its YAML live in src/adapters/playground (the local demo uses them too).
export * from '../../../src/adapters/playground/playgroundConfig.ts';
export * from '../../../src/adapters/playground/playgroundProcess.ts';
import type { PlaygroundConfig, PlaygroundUser } from '../../../src/adapters/playground/playgroundConfig.ts';
import type { Playground } from '../../../src/adapters/playground/playgroundProcess.ts';

// ---------------------------------------------------------------------------------------------
// Acting as other people
// ---------------------------------------------------------------------------------------------

/** The configuration the running playground uses (GET /_internal/v1/config; it first waits for the bot to answer). */
export interface PlaygroundRuntimeConfig {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: PlaygroundUser & { userPrincipleName: string };
    users: (PlaygroundUser & { userPrincipleName: string })[];
    personalChat: { id: string; name: string };
    groupChats: { id: string; name: string; members: string[] }[];
    teams: {
      id: string;
      name: string;
      aadGroupId: string;
      channels: { id: string; name: string; channelType: string }[];
      members: string[];
    }[];
  };
  internalConfig: { locale: string; localTimezone: string; channelId: string };
}

export async function fetchPlaygroundConfig(pg: Pick<Playground, 'url'>): Promise<PlaygroundRuntimeConfig> {
  const res = await fetch(`${pg.url}/_internal/v1/config`);
  if (!res.ok) throw new Error(`GET /_internal/v1/config: ${res.status}`);
  return (await res.json()) as PlaygroundRuntimeConfig;
}

export interface ActionExecute {
  verb: string;
  data?: Record<string, unknown>;
  title?: string;
}

/**
 * Clicks an Action.Execute on a card as another person, through the playground itself
 * (POST /_conversation/v1/invoke). The playground builds the invoke exactly as for a click in the
 * page: from.id / from.aadObjectId / from.name from the YAML, channelData.team / channel, serviceUrl.
 * Only invokes honour `from`: the same route for messages always sends as the signed-in person.
 * Nothing changes in the page unless the bot updates the message (updateActivity).
 *
 * @param conversationId the card's conversation: the chat id, or a channel thread
 *   `<channelId>;messageid=<rootId>`.
 * @param replyToId the card message's id (for a thread root, the `messageid`).
 */
export async function invokeAsUser(
  pg: Pick<Playground, 'url'>,
  opts: { userId: string; conversationId: string; replyToId: string; action: ActionExecute },
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${pg.url}/_conversation/v1/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', title: opts.action.title, verb: opts.action.verb, data: opts.action.data ?? {} } },
      from: { id: opts.userId },
      conversation: { id: opts.conversationId },
      replyToId: opts.replyToId,
    }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/**
 * Builds an activity as the playground would send it from `user` (same field shapes), to POST
 * straight to the bot. The bot's replies go to the playground's connector, so they show in the page.
 */
export function activityFromUser(
  pg: Pick<Playground, 'connectorUrl'>,
  config: PlaygroundConfig,
  opts: {
    user: PlaygroundUser;
    conversationId: string;
    /** Inferred from the id when omitted. */
    kind?: ConversationKind;
    type: 'message' | 'invoke';
    text?: string;
    name?: string;
    value?: unknown;
    replyToId?: string;
    /** Adds an <at>bot</at> mention (group chats and channels only deliver mentioned messages in Teams). */
    mentionBot?: boolean;
  },
): Record<string, unknown> {
  const top = opts.conversationId.split(';')[0] ?? opts.conversationId;
  const channelIds = [config.team.id, ...config.team.channels.map((c) => c.id)];
  const kind: ConversationKind =
    opts.kind ?? (channelIds.includes(top) ? 'channel' : top === config.groupChat.id ? 'groupChat' : 'personal');
  const inChannel = kind === 'channel';
  const at = `<at>${config.bot.name}</at>`;
  const text = opts.text !== undefined && opts.mentionBot ? `${at} ${opts.text}` : opts.text;
  const entities: Record<string, unknown>[] = [];
  if (opts.mentionBot) entities.push({ type: 'mention', mentioned: { id: config.bot.id, name: config.bot.name }, text: at });
  entities.push({ type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' });
  return {
    type: opts.type,
    ...(opts.name ? { name: opts.name } : {}),
    id: `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: pg.connectorUrl,
    from: { id: opts.user.id, name: opts.user.name, aadObjectId: opts.user.aadObjectId },
    recipient: { id: config.bot.id, name: config.bot.name },
    conversation: {
      id: opts.conversationId,
      tenantId: config.tenantId,
      ...(kind === 'personal' ? { conversationType: 'personal' } : { isGroup: true, conversationType: kind }),
      ...(kind === 'groupChat' ? { name: config.groupChat.name } : {}),
    },
    channelData: {
      tenant: { id: config.tenantId },
      ...(inChannel ? { team: { id: config.team.id }, channel: { id: top }, teamsTeamId: config.team.id, teamsChannelId: top } : {}),
      ...(opts.type === 'invoke' ? { source: { name: 'message' } } : {}),
    },
    ...(text !== undefined ? { text, textFormat: 'plain' } : {}),
    ...(opts.value !== undefined ? { value: opts.value } : {}),
    ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
    entities,
    locale: 'en-GB',
  };
}

/** POSTs an activity straight to the bot (auth off). Returns the HTTP status and the invoke response body. */
export async function postToBot(
  botEndpoint: string,
  activity: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(botEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

/** Splits a channel thread id `<channelId>;messageid=<rootId>` into its parts. */
export function parseThreadId(conversationId: string): { channelId: string; rootMessageId: string | undefined } {
  const [channelId = conversationId, rest] = conversationId.split(';messageid=');
  return { channelId, rootMessageId: rest };
}
