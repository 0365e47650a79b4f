import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  CardFactory,
  type ChannelInfo,
  MessageFactory,
  type TeamInfo,
  TeamsActivityHandler,
  type TurnContext,
} from 'botbuilder';

import type { AdaptiveCard } from '../../app/cards/cardTemplates.ts';
import { noticeCard } from '../../app/cards/noticeCard.ts';
import { failureCard } from '../../app/teams/cardActions.ts';
import type { TeamsApp } from '../../app/teams/teamsApp.ts';
import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import type { Logger } from '../log/logger.ts';
import { actorOf } from './activityActor.ts';

const CARD = 'application/vnd.microsoft.card.adaptive';

function cardActivity(card: AdaptiveCard) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/**
 * The channel an activity came from, as somewhere the bot can post. Teams names it differently per
 * event: `channelData.channel` on messages, `settings.selectedChannel` (and the conversation) when
 * the bot is added; General, whose id is the team's, otherwise.
 */
function channelOf(ctx: TurnContext, team: TeamInfo | undefined): PartnershipChannel | undefined {
  const data = ctx.activity.channelData as
    { team?: TeamInfo; channel?: ChannelInfo; tenant?: { id?: string }; settings?: { selectedChannel?: { id?: string } } } | undefined;
  const teamInfo = team ?? data?.team;
  if (!teamInfo?.id) return undefined;
  const conversation = ctx.activity.conversation;
  const conversationChannel = conversation?.conversationType === 'channel' ? conversation.id.split(';messageid=')[0] : undefined;
  const channelId = data?.channel?.id ?? data?.settings?.selectedChannel?.id ?? conversationChannel ?? teamInfo.id;
  const channelName =
    channelId === teamInfo.id
      ? 'General'
      : (data?.channel?.name ?? (conversationChannel === channelId ? conversation.name : undefined) ?? null);
  return {
    serviceUrl: ctx.activity.serviceUrl,
    tenantId: data?.tenant?.id ?? conversation?.tenantId ?? '',
    botId: ctx.activity.recipient.id,
    teamId: teamInfo.id,
    teamName: teamInfo.name ?? null,
    channelId,
    channelName,
  };
}

/**
 * The botbuilder edge: decodes Teams activities into TeamsApp calls and encodes the answers. No
 * business rule lives here, so moving to the Agents SDK replaces this folder only.
 */
export class PartnershipBot extends TeamsActivityHandler {
  /** `wakeSender` asks the outbox sender to deliver what an action queued now, not on its next round. */
  constructor(
    private readonly app: TeamsApp,
    private readonly wakeSender: () => void,
    private readonly logger: Logger,
  ) {
    super();

    this.onMessage(async (ctx, next) => {
      const actor = actorOf(ctx.activity);
      if (!actor) {
        await ctx.sendActivity('Sorry, I could not tell who you are, so I cannot help here.');
        return next();
      }
      await this.app.seen(actor);
      const here = actor.conversationType === 'channel' ? channelOf(ctx, undefined) : undefined;
      await ctx.sendActivity(cardActivity(await this.app.message(ctx.activity.text ?? '', actor, here)));
      await next();
    });

    this.onTeamsMembersAddedEvent(async (membersAdded, teamInfo, ctx, next) => {
      if (membersAdded.some((m) => m.id === ctx.activity.recipient.id)) await this.installed(ctx, teamInfo);
      await next();
    });

    this.onTeamsMembersRemovedEvent(async (membersRemoved, teamInfo, ctx, next) => {
      if (membersRemoved.some((m) => m.id === ctx.activity.recipient.id) && teamInfo?.id) {
        await this.app.removed(teamInfo.id, ctx.activity.from?.aadObjectId ?? 'unknown');
      }
      await next();
    });

    this.onInstallationUpdateAdd(async (ctx, next) => {
      if (ctx.activity.conversation?.conversationType === 'channel') await this.installed(ctx, undefined);
      await next();
    });

    this.onInstallationUpdateRemove(async (ctx, next) => {
      const team = (ctx.activity.channelData as { team?: TeamInfo } | undefined)?.team;
      if (team?.id) await this.app.removed(team.id, ctx.activity.from?.aadObjectId ?? 'unknown');
      await next();
    });
  }

  private async installed(ctx: TurnContext, team: TeamInfo | undefined) {
    const channel = channelOf(ctx, team);
    if (!channel) return;
    const welcome = await this.app.installed(channel, ctx.activity.from?.aadObjectId ?? 'unknown');
    if (welcome) await ctx.sendActivity(cardActivity(welcome));
  }

  protected override async onAdaptiveCardInvoke(ctx: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const actor = actorOf(ctx.activity);
    if (!actor)
      return {
        statusCode: 200,
        type: CARD,
        value: noticeCard('Not available', ['Sorry, I could not tell who you are. Nothing was recorded.']) as never,
      };
    try {
      await this.app.seen(actor);
      const data = (invoke.action?.data ?? {}) as Record<string, unknown>;
      const result = await this.app.invoke(invoke.action?.verb ?? '', data, actor);
      // Bookkeeping after the action has answered (and maybe committed): its failure is logged, never
      // answered with the catch-all's "Nothing was changed".
      if (ctx.activity.replyToId) {
        await this.app
          .answeredOn(ctx.activity.replyToId)
          .catch((error: unknown) =>
            this.logger.warn(
              { err: error instanceof Error ? { name: error.name, message: error.message } : String(error), activityId: ctx.activity.id },
              'answered card not marked for redrawing',
            ),
          );
      }
      if (result.queued) this.wakeSender();
      return { statusCode: 200, type: CARD, value: result.card as never };
    } catch (error) {
      // Before any action ran (the router answers every failure of an action itself, saying whether
      // its change was recorded), so nothing was changed. Say so, log without child data.
      this.logger.error(
        {
          err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
          verb: invoke.action?.verb,
          activityId: ctx.activity.id,
        },
        'card action failed',
      );
      return { statusCode: 200, type: CARD, value: failureCard('nothing_changed', ctx.activity.id ?? 'none') as never };
    }
  }
}
