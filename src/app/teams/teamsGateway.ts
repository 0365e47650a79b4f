import type { PartnershipChannel } from '../../domain/teams/partnershipChannel.ts';
import type { AdaptiveCard } from '../cards/cardTemplates.ts';

/** A message the bot posted: where it is, to update or reply to it later. */
export interface PostedMessage {
  readonly conversationId: string;
  readonly activityId: string;
}

export interface Mention {
  readonly teamsUserId: string;
  readonly name: string;
}

export interface RosterMember {
  readonly teamsUserId: string;
  readonly aadObjectId: string;
  readonly name: string;
  readonly tenantId?: string;
  readonly email?: string;
}

/**
 * What the application needs from Teams, and nothing of how: the botbuilder adapter implements it.
 * Failures to deliver are thrown as DeliveryFailure (throttled, transient, blocked, permanent).
 * Every call names the partnership channel because it carries the service URL and tenant that
 * Bot Framework needs to reach the team proactively.
 */
export interface TeamsGateway {
  /** A new top-level post in the channel: the case's thread. */
  startChannelThread(channel: PartnershipChannel, card: AdaptiveCard, summary: string): Promise<PostedMessage>;
  /** A reply in a case's thread; `mentions` are @mentioned (Teams mention entities) and named in the text. */
  replyInThread(
    channel: PartnershipChannel,
    threadConversationId: string,
    text: string,
    mentions?: readonly Mention[],
  ): Promise<PostedMessage>;
  /** A card in a case's thread (an alert with a button). */
  replyCardInThread(channel: PartnershipChannel, threadConversationId: string, card: AdaptiveCard, summary: string): Promise<PostedMessage>;
  /** A new top-level text post in the channel (the daily digest). */
  postText(channel: PartnershipChannel, text: string): Promise<PostedMessage>;
  updateCard(channel: PartnershipChannel, message: PostedMessage, card: AdaptiveCard): Promise<void>;
  /** A 1:1 chat with one person (created if it does not exist yet). */
  sendPersonalCard(channel: PartnershipChannel, teamsUserId: string, card: AdaptiveCard, summary: string): Promise<PostedMessage>;
  teamRoster(channel: PartnershipChannel): Promise<RosterMember[]>;
  /**
   * Where calls are held to Teams' limits (app/outbox/rateLimitedGateway.ts): waits for room to
   * start a thread in the channel. Called just before startChannelThread, which runs under a case's
   * row lock, where the store cannot be asked for a slot (PGlite's one connection is that
   * transaction's), so startChannelThread takes none itself.
   */
  beforeThreadStart?(channel: PartnershipChannel): Promise<void>;
}
