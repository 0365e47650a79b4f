import { randomUUID } from 'node:crypto';
// Inbound Teams activities built from Microsoft's published payloads in /work/shared/fixtures/teams/
// (see SOURCES.md there). Each builder returns a deep copy of the published shape with only values
// substituted: serviceUrl (the Bot Connector stand-in), ids, tenant, team and channel. Fields a
// fixture does not publish are not invented, except where SOURCES.md records that Microsoft published
// no example (bot removed from a team; a channel Action.Execute invoke; verb on a manual invoke).
import { readFileSync } from 'node:fs';

import type { Activity, ChannelAccount, ConversationAccount } from 'botbuilder';

/** Reads a fixture afresh each call, so callers can never mutate a shared copy. */
export function loadTeamsFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../../shared/fixtures/teams/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export interface TeamsAccount {
  /** `29:...` for users, `28:<appId>` for bots. */
  id: string;
  name?: string;
  aadObjectId?: string;
}

/** How Teams addresses a bot: `28:` + its Microsoft app id. */
export function teamsBotAccount(appId: string, name = 'Safeguarding Review Bot'): { id: string; name: string } {
  return { id: `28:${appId}`, name };
}

export interface ActivityOptions {
  /** The Bot Connector stand-in's serviceUrl; it must also be the token's `serviceurl` claim. */
  serviceUrl: string;
  /** The recipient (the bot). Defaults to the fixture's. */
  bot?: TeamsAccount;
  /** The user who acted. Defaults to the fixture's. */
  from?: TeamsAccount;
  tenantId?: string;
  /** Fields merged over the fixture's conversation. */
  conversation?: Partial<ConversationAccount>;
  id?: string;
  timestamp?: string;
}

export interface TeamScopeOptions extends ActivityOptions {
  /** `channelData.team`: the id, plus name/aadGroupId where the fixture publishes them. */
  team?: { id: string; name?: string; aadGroupId?: string };
  /** The channel (`19:...@thread.tacv2`); its name is used where the fixture publishes one. */
  channel?: { id: string; name?: string };
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => value as Json;

function applyCommon(activity: Json, options: ActivityOptions): Json {
  activity.serviceUrl = options.serviceUrl;
  if (options.id !== undefined) activity.id = options.id;
  if (options.timestamp !== undefined) activity.timestamp = options.timestamp;
  if (options.bot) activity.recipient = { ...obj(activity.recipient), ...options.bot };
  if (options.from) activity.from = { ...options.from };
  const conversation = obj(activity.conversation);
  if (options.tenantId !== undefined) {
    if ('tenantId' in conversation) conversation.tenantId = options.tenantId;
    const channelData = obj(activity.channelData);
    if (channelData?.tenant) channelData.tenant = { id: options.tenantId };
  }
  if (options.conversation) Object.assign(conversation, options.conversation);
  return activity;
}

/** Substitutes `values` into `published`: the id always, other fields only where Microsoft published them. */
function substitute(published: unknown, values: { id: string } & Record<string, unknown>): Json {
  const result: Json = { ...obj(published), id: values.id };
  for (const [key, value] of Object.entries(values)) if (key in result && value !== undefined) result[key] = value;
  return result;
}

function applyTeam(activity: Json, options: TeamScopeOptions): void {
  const channelData = obj(activity.channelData);
  if (options.team) {
    channelData.team = substitute(channelData.team, options.team);
    if ('teamsTeamId' in channelData) channelData.teamsTeamId = options.team.id;
  }
  if (options.channel) {
    const settings = obj(channelData.settings);
    if (settings?.selectedChannel) settings.selectedChannel = { id: options.channel.id };
    if (channelData.channel) channelData.channel = substitute(channelData.channel, options.channel);
    if ('teamsChannelId' in channelData) channelData.teamsChannelId = options.channel.id;
  }
}

/** Team-scope events sent in a channel: the conversation is that channel. */
function addressChannelConversation(activity: Json, options: TeamScopeOptions): void {
  if (!options.channel) return;
  const conversation = obj(activity.conversation);
  conversation.id = options.channel.id;
  if (options.channel.name !== undefined) conversation.name = options.channel.name;
}

const botOf = (activity: Json) => obj(activity.recipient) as unknown as ChannelAccount;

/** conversationUpdate with the bot in membersAdded (fixture 01). */
export function botAddedToTeam(options: TeamScopeOptions): Activity {
  const activity = loadTeamsFixture('01-conversationUpdate-bot-added-to-team.json');
  applyTeam(activity, options);
  addressChannelConversation(activity, options);
  applyCommon(activity, options);
  activity.membersAdded = [{ id: botOf(activity).id }];
  return activity as unknown as Activity;
}

/**
 * conversationUpdate with the bot in membersRemoved (fixture 02's shape). Microsoft published only a
 * user's removal; putting the bot's id in membersRemoved is ours (SOURCES.md, 02 LIMITATION).
 */
export function botRemovedFromTeam(options: TeamScopeOptions): Activity {
  const activity = loadTeamsFixture('02-conversationUpdate-member-removed-from-team.json');
  applyTeam(activity, options);
  if (options.team) obj(activity.conversation).id = options.channel?.id ?? options.team.id;
  applyCommon(activity, options);
  activity.membersRemoved = [{ id: botOf(activity).id }];
  return activity as unknown as Activity;
}

/** installationUpdate, action add, team scope (fixture 03). */
export function installationUpdateAdd(options: TeamScopeOptions): Activity {
  const activity = loadTeamsFixture('03-installationUpdate-add-team.json');
  applyTeam(activity, options);
  addressChannelConversation(activity, options);
  applyCommon(activity, options);
  return activity as unknown as Activity;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A channel message that @mentions the bot (fixture 04): text, mention entity and the text/html
 * attachment all name the bot. `threadRootId` is the `;messageid=` of the thread the message is in.
 */
export function channelMessageMentioningBot(text: string, options: TeamScopeOptions & { threadRootId?: string }): Activity {
  const activity = loadTeamsFixture('04-message-channel-mention-bot.json');
  applyTeam(activity, options);
  const conversation = obj(activity.conversation);
  const [publishedChannelId, publishedRoot] = String(conversation.id).split(';messageid=');
  conversation.id = `${options.channel?.id ?? publishedChannelId};messageid=${options.threadRootId ?? publishedRoot}`;
  applyCommon(activity, options);

  const bot = botOf(activity);
  const at = `<at>${bot.name}</at>`;
  activity.text = `${at} ${text}`;
  const entities = activity.entities as Json[];
  const mention = entities.find((e) => e.type === 'mention');
  if (mention) {
    mention.mentioned = { id: bot.id, name: bot.name };
    mention.text = at;
  }
  const [html] = activity.attachments as Json[];
  if (html) {
    html.content = `<p><span itemtype="http://schema.skype.com/Mention" itemscope="" itemid="0">${escapeHtml(bot.name ?? '')}</span>&nbsp;${escapeHtml(text)}</p>`;
  }
  return activity as unknown as Activity;
}

/** A 1:1 message (fixture 05: `a:` conversation id, channelData.tenant only). */
export function personalMessage(text: string, options: ActivityOptions): Activity {
  const activity = loadTeamsFixture('05-message-personal.json');
  applyCommon(activity, options);
  activity.text = text;
  return activity as unknown as Activity;
}

export interface CardActionOptions extends TeamScopeOptions {
  verb: string;
  data?: Record<string, unknown>;
  conversationType: 'personal' | 'channel';
  /** Id of the message carrying the card. */
  replyToId?: string;
  /** `value.action.id`; omitted unless given (the captured fixture 06 has none). */
  actionId?: string;
  /** For `channel`: the thread's root message id (`;messageid=`). */
  threadRootId?: string;
}

/** Reshapes fixture 06's personal envelope into a channel one, using fixture 04's channel fields. */
function toChannelScope(activity: Json, options: CardActionOptions): void {
  const channel = loadTeamsFixture('04-message-channel-mention-bot.json');
  const channelConversation = obj(channel.conversation);
  const channelData = obj(channel.channelData);
  const [publishedChannelId, publishedRoot] = String(channelConversation.id).split(';messageid=');
  activity.conversation = {
    ...channelConversation,
    id: `${options.channel?.id ?? publishedChannelId};messageid=${options.threadRootId ?? options.replyToId ?? publishedRoot}`,
    tenantId: obj(obj(activity.channelData).tenant).id,
  };
  activity.channelData = {
    teamsChannelId: channelData.teamsChannelId,
    teamsTeamId: channelData.teamsTeamId,
    channel: channelData.channel,
    team: channelData.team,
    ...obj(activity.channelData),
  };
  applyTeam(activity, options);
}

function cardInvoke(options: CardActionOptions, value: Json): Activity {
  const activity = loadTeamsFixture('06-invoke-adaptiveCard-action-execute-personal.json');
  if (options.conversationType === 'channel') toChannelScope(activity, options);
  // Each click is its own activity in Teams, with its own id in the fixture's form ("f:<uuid>"); the
  // same request sent again keeps it (the service uses it to know a retry from a new submission).
  activity.id = `f:${randomUUID()}`;
  applyCommon(activity, options);
  if (options.replyToId !== undefined) activity.replyToId = options.replyToId;
  activity.value = value;
  return activity as unknown as Activity;
}

/** adaptiveCard/action invoke from a user pressing an Action.Execute button (fixture 06, trigger manual). */
export function adaptiveCardExecute(options: CardActionOptions & { title?: string }): Activity {
  const published = obj(obj(loadTeamsFixture('06-invoke-adaptiveCard-action-execute-personal.json').value).action);
  return cardInvoke(options, {
    action: {
      type: 'Action.Execute',
      title: options.title ?? published.title,
      ...(options.actionId !== undefined ? { id: options.actionId } : {}),
      verb: options.verb,
      data: options.data ?? {},
    },
    trigger: 'manual',
  });
}

/** adaptiveCard/action invoke from a card's `refresh` (fixture 06 envelope + 06b value, trigger automatic). */
export function adaptiveCardRefresh(options: CardActionOptions): Activity {
  const value = obj(loadTeamsFixture('06b-invoke-adaptiveCard-action-refresh-automatic.partial.json').value);
  const action = obj(value.action);
  action.verb = options.verb;
  action.data = options.data ?? {};
  if (options.actionId !== undefined) action.id = options.actionId;
  return cardInvoke(options, value);
}
