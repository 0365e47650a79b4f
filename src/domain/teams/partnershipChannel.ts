/**
 * Where the partnership's cards go: the team the bot is installed in, the channel to post in, and
 * what Bot Framework needs to reach it proactively.
 */
export interface PartnershipChannel {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly teamName: string | null;
  readonly channelId: string;
  readonly channelName: string | null;
}
