// A minimal botbuilder bot used only to find out what the M365 Agents Playground does with the
// things our real bot relies on: Adaptive Card 1.5 inputs, Action.Execute (adaptiveCard/action
// invoke) with a replacement card, `refresh` per-user views, posting to a team channel with
// TeamsInfo.sendMessageToTeamsChannel, updateActivity, and replies in the channel thread.
// Authentication is disabled (empty MicrosoftAppId): the playground sends no tokens by default.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Activity, AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, ConversationReference } from 'botbuilder';
import {
  ActivityTypes,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import express from 'express';

/** Any non-empty id works with auth disabled; CloudAdapter needs one to create conversations. */
export const PROBE_BOT_APP_ID = '00000000-0000-0000-0000-0000000000b0';

type Card = Record<string, unknown>;

export interface ChannelPost {
  /** The thread's conversation id, `<channelId>;messageid=<messageId>`. */
  conversationId: string;
  /** The id of the root message of the thread (what updateActivity needs). */
  activityId: string;
  /** What TeamsInfo.sendMessageToTeamsChannel returned as the "activity id". */
  returnedId: string;
  reference: Partial<ConversationReference>;
}

export interface ProbeBot {
  url: string;
  /** Every activity the bot received, in order. */
  received: Partial<Activity>[];
  /** Channel posts the bot created, in order. */
  channelPosts: ChannelPost[];
  /** Errors thrown while handling turns. */
  errors: string[];
  stop(): Promise<void>;
}

export interface ProbeBotOptions {
  /** The team channel `channel` posts to (the playground's General channel id is the team id). */
  channelId: string;
  port?: number;
}

export function inputCard(): Card {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Probe referral', weight: 'Bolder', size: 'Medium', wrap: true },
      {
        type: 'Input.Text',
        id: 'childName',
        label: 'Child initials',
        isRequired: true,
        regex: '^[A-Z]{2,3}$',
        errorMessage: 'Use two or three capital letters',
        placeholder: 'e.g. AB',
      },
      {
        type: 'Input.ChoiceSet',
        id: 'harm',
        label: 'Type of harm',
        style: 'compact',
        isRequired: true,
        errorMessage: 'Choose a type of harm',
        choices: [
          { title: 'Neglect', value: 'neglect' },
          { title: 'Physical abuse', value: 'physical' },
          { title: 'Online harm', value: 'online' },
        ],
      },
      {
        type: 'Input.ChoiceSet',
        id: 'outcome',
        label: 'Outcome',
        style: 'expanded',
        value: 'died',
        choices: [
          { title: 'Died', value: 'died' },
          { title: 'Seriously harmed', value: 'harmed' },
        ],
      },
      { type: 'Input.Date', id: 'incidentDate', label: 'Date of incident' },
      { type: 'Input.Toggle', id: 'notifiedOfsted', title: 'Ofsted already notified', valueOn: 'yes', valueOff: 'no' },
    ],
    actions: [{ type: 'Action.Execute', title: 'Submit referral', verb: 'submitReferral', data: { probe: 'input' } }],
  };
}

function thanksCard(value: Record<string, unknown>, from: string): Card {
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Referral received', weight: 'Bolder', wrap: true },
      {
        type: 'FactSet',
        facts: [
          { title: 'Initials', value: String(value['childName'] ?? '') },
          { title: 'Harm', value: String(value['harm'] ?? '') },
          { title: 'Outcome', value: String(value['outcome'] ?? '') },
          { title: 'Date', value: String(value['incidentDate'] ?? '') },
          { title: 'Ofsted', value: String(value['notifiedOfsted'] ?? '') },
          { title: 'By', value: from },
        ],
      },
    ],
  };
}

/** A card whose `refresh` asks Teams to fetch a per-user view for the listed user ids. */
function refreshCard(userIds: string[]): Card {
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: 'personalView' }, userIds },
    body: [{ type: 'TextBlock', text: 'Shared view (not refreshed)', wrap: true }],
    actions: [{ type: 'Action.Execute', title: 'Refresh me', verb: 'personalView' }],
  };
}

function channelCard(status: string, votes: string[]): Card {
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: `Rapid review: ${status}`, weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: votes.length ? `Votes: ${votes.join(', ')}` : 'No votes yet', wrap: true },
    ],
    actions: [{ type: 'Action.Execute', title: 'Vote yes', verb: 'vote', data: { vote: 'yes' } }],
  };
}

function cardResponse(card: Card): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

class ProbeHandler extends TeamsActivityHandler {
  readonly votes: string[] = [];

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly opts: ProbeBotOptions,
    private readonly state: Pick<ProbeBot, 'received' | 'channelPosts' | 'errors'>,
  ) {
    super();
    this.onMessage(async (context, next) => {
      // In group chats and channels the text starts with "<at>Test Bot</at>", as in Teams.
      const text = (TurnContext.removeRecipientMention(context.activity) ?? '').trim().toLowerCase();
      if (text === 'card') {
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(inputCard())));
      } else if (text === 'refresh') {
        const ids = [context.activity.from.id];
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(refreshCard(ids))));
      } else if (text === 'update') {
        const sent = await context.sendActivity('Version one of an updatable message');
        const update = MessageFactory.text('Version two, updated by the bot');
        update.id = sent?.id;
        await context.updateActivity(update);
      } else if (text === 'channel') {
        await this.postToChannel(context);
        await context.sendActivity('Posted to the channel');
      } else if (text === 'whoami') {
        const from = context.activity.from;
        await context.sendActivity(`from.id=${from.id} aad=${from.aadObjectId ?? '-'} name=${from.name ?? '-'}`);
      } else {
        await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
      }
      await next();
    });
  }

  private async postToChannel(context: TurnContext): Promise<void> {
    // MessageFactory returns Partial<Activity>; sendMessageToTeamsChannel's typing wants Activity.
    const message = MessageFactory.attachment(CardFactory.adaptiveCard(channelCard('open', []))) as Activity;
    const [reference, returnedId] = await TeamsInfo.sendMessageToTeamsChannel(context, message, this.opts.channelId, PROBE_BOT_APP_ID);
    // With CloudAdapter, botbuilder 4.23.3 returns the new *conversation* id as the activity id
    // (createCreateActivity sets activity.id = conversation id). The root message id is the part
    // after ";messageid=", both in Teams and in the playground.
    const conversationId = reference.conversation?.id ?? returnedId;
    const activityId = conversationId.split(';messageid=')[1] ?? returnedId;
    this.state.channelPosts.push({ conversationId, activityId, returnedId, reference });
    await this.adapter.continueConversationAsync(PROBE_BOT_APP_ID, reference, async (ctx) => {
      const update = MessageFactory.attachment(CardFactory.adaptiveCard(channelCard('updated by the bot', [])));
      update.id = activityId;
      await ctx.updateActivity(update);
      await ctx.sendActivity('A reply in the thread from the bot');
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const verb = invokeValue.action.verb;
    const data = (invokeValue.action.data ?? {}) as Record<string, unknown>;
    const who = context.activity.from.name ?? context.activity.from.id;
    if (verb === 'submitReferral') return cardResponse(thanksCard(data, who));
    if (verb === 'personalView') {
      return cardResponse({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: `Personal view for ${who}`, wrap: true }],
      });
    }
    if (verb === 'vote') {
      this.votes.push(who);
      const card = channelCard('voting', this.votes);
      // Also update the channel message for everyone, as the real bot does.
      if (context.activity.replyToId) {
        const update = MessageFactory.attachment(CardFactory.adaptiveCard(card));
        update.id = context.activity.replyToId;
        await context.updateActivity(update);
      }
      return cardResponse(card);
    }
    return cardResponse({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `Unknown verb ${verb}` }] });
  }
}

export async function startProbeBot(opts: ProbeBotOptions): Promise<ProbeBot> {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    MicrosoftAppType: 'MultiTenant',
  });
  const adapter = new CloudAdapter(auth);
  const state: Pick<ProbeBot, 'received' | 'channelPosts' | 'errors'> = { received: [], channelPosts: [], errors: [] };
  adapter.onTurnError = async (context, error) => {
    state.errors.push(error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error));
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity('The probe bot failed');
  };
  const handler = new ProbeHandler(adapter, opts, state);
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post('/api/messages', async (req, res) => {
    state.received.push(JSON.parse(JSON.stringify(req.body)) as Partial<Activity>);
    await adapter.process(req, res, (context) => handler.run(context));
  });
  const server: Server = app.listen(opts.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    ...state,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
