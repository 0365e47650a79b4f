import {
  type Activity,
  CardFactory,
  type CloudAdapter,
  type ConversationReference,
  MessageFactory,
  type TeamsChannelAccount,
  TeamsInfo,
  type TurnContext,
} from 'botbuilder';

import type { AdaptiveCard } from '../../app/cards/cardTemplates.ts';
import type { PostedMessage, RosterMember, TeamsGateway } from '../../app/teams/teamsGateway.ts';
import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import { toDeliveryFailure } from './deliveryErrors.ts';

const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

function referenceTo(
  channel: PartnershipChannel,
  conversationId: string,
  conversationType: 'channel' | 'personal' = 'channel',
): ConversationReference {
  return {
    channelId: 'msteams',
    serviceUrl: channel.serviceUrl,
    bot: { id: channel.botId, name: '' },
    conversation: { id: conversationId, isGroup: conversationType === 'channel', conversationType, tenantId: channel.tenantId, name: '' },
  } as ConversationReference;
}

function cardMessage(card: AdaptiveCard, summary: string): Activity {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = summary;
  return activity as Activity;
}

/**
 * sendMessageToTeamsChannel returns the new thread's conversation id ("19:...;messageid=N") in place
 * of an activity id under CloudAdapter (platform.md §3). The message id is the part after messageid=.
 */
export function threadOf(channelId: string, returned: string): PostedMessage {
  const match = /;messageid=(.+)$/.exec(returned);
  if (match) return { conversationId: returned, activityId: match[1]! };
  return { conversationId: `${channelId};messageid=${returned}`, activityId: returned };
}

/** Every call's failures come out as DeliveryFailure, so the sender can decide to retry or give up. */
function translatingErrors(gateway: TeamsGateway): TeamsGateway {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(gateway) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await method(...args);
      } catch (error) {
        throw toDeliveryFailure(error);
      }
    };
  }
  return wrapped as unknown as TeamsGateway;
}

/** The TeamsGateway over botbuilder: proactive sends through the CloudAdapter. */
export function createBotbuilderTeamsGateway(adapter: CloudAdapter, appId: string): TeamsGateway {
  return translatingErrors(createGateway(adapter, appId));
}

function createGateway(adapter: CloudAdapter, appId: string): TeamsGateway {
  // A proactive turn runs through the adapter's middleware, whose onTurnError would swallow what the
  // work throws (a 429, a 5xx): the call would look sent. So the work's failure is carried out of the
  // turn and thrown here, for the sender to retry.
  const inConversation = async <T>(
    channel: PartnershipChannel,
    conversationId: string,
    work: (ctx: TurnContext) => Promise<T>,
  ): Promise<T> => {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await adapter.continueConversationAsync(appId, referenceTo(channel, conversationId), async (ctx) => {
      try {
        outcome = { ok: true, value: await work(ctx) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error('the proactive turn did not run');
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };

  return {
    async startChannelThread(channel, card, summary) {
      const returned = await inConversation(channel, channel.channelId, async (ctx) => {
        // With authentication off (the local demo) appId is empty, and botbuilder then looks for a
        // connector-client factory CloudAdapter does not have; any non-empty id takes the right path.
        const [, id] = await TeamsInfo.sendMessageToTeamsChannel(
          ctx,
          cardMessage(card, summary),
          channel.channelId,
          appId || channel.botId,
        );
        return id;
      });
      return threadOf(channel.channelId, returned);
    },

    async replyInThread(channel, threadConversationId, text, mentions = []) {
      // Mentions: the text names each person as <at>Name</at>, and an entity says who that is.
      const tags = mentions.map((m) => `<at>${m.name.replace(/[<>]/g, '')}</at>`);
      const activity = MessageFactory.text(tags.length ? `${text} ${tags.join(' ')}` : text, text);
      activity.entities = mentions.map((m, i) => ({ type: 'mention', text: tags[i], mentioned: { id: m.teamsUserId, name: m.name } }));
      const activityId = await inConversation(channel, threadConversationId, async (ctx) => (await ctx.sendActivity(activity))?.id ?? '');
      return { conversationId: threadConversationId, activityId };
    },

    async replyCardInThread(channel, threadConversationId, card, summary) {
      const activityId = await inConversation(
        channel,
        threadConversationId,
        async (ctx) => (await ctx.sendActivity(cardMessage(card, summary)))?.id ?? '',
      );
      return { conversationId: threadConversationId, activityId };
    },

    async postText(channel, text) {
      let conversationId = channel.channelId;
      const activityId = await inConversation(channel, channel.channelId, async (ctx) => {
        const sent = await ctx.sendActivity(MessageFactory.text(text, text));
        conversationId = ctx.activity.conversation.id;
        return sent?.id ?? '';
      });
      return { conversationId, activityId };
    },

    async updateCard(channel, message, card) {
      await inConversation(channel, message.conversationId, async (ctx) => {
        await ctx.updateActivity({ ...cardMessage(card, ''), id: message.activityId });
      });
    },

    async sendPersonalCard(channel, teamsUserId, card, summary) {
      let posted: PostedMessage | undefined;
      let failure: { error: unknown } | undefined;
      await adapter.createConversationAsync(
        appId,
        'msteams',
        channel.serviceUrl,
        BOT_FRAMEWORK_AUDIENCE,
        {
          isGroup: false,
          bot: { id: channel.botId, name: '' },
          members: [{ id: teamsUserId, name: '' }],
          tenantId: channel.tenantId,
          channelData: { tenant: { id: channel.tenantId } },
        } as never,
        async (ctx) => {
          try {
            const sent = await ctx.sendActivity(cardMessage(card, summary));
            posted = { conversationId: ctx.activity.conversation.id, activityId: sent?.id ?? '' };
          } catch (error) {
            failure = { error }; // out of the turn, past onTurnError (see inConversation)
          }
        },
      );
      if (failure) throw failure.error;
      if (!posted) throw new Error('the 1:1 chat was created but the card was not sent');
      return posted;
    },

    async teamRoster(channel) {
      return inConversation(channel, channel.channelId, async (ctx) => {
        const members: RosterMember[] = [];
        let token: string | undefined;
        do {
          const page = await TeamsInfo.getPagedTeamMembers(ctx, channel.teamId, 500, token);
          members.push(
            ...page.members
              .filter((m: TeamsChannelAccount) => m.aadObjectId)
              .map((m: TeamsChannelAccount) => ({
                teamsUserId: m.id,
                aadObjectId: m.aadObjectId!,
                name: m.name ?? m.givenName ?? m.aadObjectId!,
                ...(m.tenantId ? { tenantId: m.tenantId } : {}),
                ...((m.email ?? m.userPrincipalName) ? { email: (m.email ?? m.userPrincipalName)! } : {}),
              })),
          );
          token = page.continuationToken;
        } while (token);
        return members;
      });
    },
  };
}
