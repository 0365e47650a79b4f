/** Who did something in Teams, as the bot saw it. People are known by Entra object id. */
export interface Actor {
  readonly aadObjectId: string;
  /** 29:... */
  readonly teamsUserId: string;
  readonly name?: string;
  readonly tenantId?: string;
  readonly conversationType: 'personal' | 'channel' | 'groupChat';
  /** The activity's id: a request retried after a lost answer carries the same one. */
  readonly activityId?: string;
}
