// A local stand-in for the Teams Bot Connector service (https://smba.trafficmanager.net/...), speaking
// the REST routes botbuilder 4.23.3's ConnectorClient and TeamsConnectorClient call
// (botframework-connector/src/connectorApi/operations/conversations.ts, teams/operations/teams.ts).
// Response bodies follow Microsoft's published samples in /work/shared/fixtures/teams/08*.json.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import express, { type Request, type Response } from 'express';

import { listenOnLoopback } from './listen.ts';
import type { LocalIdentityProvider } from './localIdentityProvider.ts';
import { TEST_TENANT_ID } from './localIdentityProvider.ts';

export type ConnectorRoute =
  | 'createConversation'
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'getConversationMembers'
  | 'getConversationPagedMembers'
  | 'getConversationMember'
  | 'fetchChannelList'
  | 'fetchTeamDetails'
  | 'unknown';

export interface RecordedConnectorRequest {
  route: ConnectorRoute;
  method: string;
  /** Path as received (still URL-encoded), relative to the service URL's origin. */
  path: string;
  query: Record<string, string>;
  /** Decoded ids from the path. */
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  teamId?: string;
  body: unknown;
  authorization: string | undefined;
  /** Whether the bearer token verified as the bot's Bot Connector token. */
  authorized: boolean;
  /** Status the stand-in answered with. */
  status: number;
  /** When the request arrived (epoch ms, real time): what Teams would count its rate limits by. */
  receivedAt: number;
}

/** A member as the Bot Connector sends it on the wire (note `objectId`, not `aadObjectId`: fixture 08e). */
export interface ConnectorMember {
  id: string;
  name?: string;
  objectId?: string;
  givenName?: string;
  surname?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: string;
  [field: string]: unknown;
}

export interface InjectedFailure {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface TeamSetup {
  details?: Record<string, unknown>;
  /** ConversationList.conversations: the General channel's id is the team id and it has no name. */
  channels?: Array<{ id: string; name?: string }>;
}

export interface BotConnectorStandIn {
  /** The serviceUrl to put on inbound activities; ends with '/' as Teams' do. */
  readonly serviceUrl: string;
  readonly requests: RecordedConnectorRequest[];
  /** Resolves with the first recorded request (past or future) matching `predicate`. */
  waitFor(predicate: (request: RecordedConnectorRequest) => boolean, timeoutMs?: number): Promise<RecordedConnectorRequest>;
  /** Roster for one conversation or team id, or for every id when `conversationId` is omitted. */
  setRoster(members: ConnectorMember[], conversationId?: string): void;
  setTeam(teamId: string, setup: TeamSetup): void;
  /** The next `times` calls to `route` (optionally only for one conversation id) fail with `failure`. */
  failNext(route: ConnectorRoute, failure: InjectedFailure, options?: { times?: number; conversationId?: string }): void;
  /** Forget recorded requests and pending failures (roster and teams stay). */
  reset(): void;
  close(): Promise<void>;
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../../shared/fixtures/teams/${name}`, import.meta.url), 'utf8'));

/** Microsoft's published roster sample (fixture 08e). */
export function publishedRoster(): ConnectorMember[] {
  return (fixture('08e-connector-pagedmembers-response.json') as { members: ConnectorMember[] }).members;
}

/**
 * Error answers Microsoft documents for the Bot Connector. Bodies use the connector's ErrorResponse
 * shape `{error:{code,message}}` with the codes and messages from MSTD
 * `msteams-platform/bots/build-conversational-capability.md` "Status codes from bot conversational
 * APIs", except MessageWritesBlocked, which is copied from the 403 sample in MSTD
 * `bots/how-to/conversations/send-proactive-messages.md` (a different, doubly-encoded shape).
 */
export const connectorErrors = {
  /** 429 with no Retry-After: botbuilder's pipeline does not retry it (platform.md section 1). */
  throttledWithoutRetryAfter: (): InjectedFailure => ({
    status: 429,
    body: { error: { code: 'Throttled', message: 'Too many requests.' } },
  }),
  throttled: (retryAfterSeconds: number): InjectedFailure => ({
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: { error: { code: 'Throttled', message: 'Too many requests.' } },
  }),
  /** 429 with Retry-After as an HTTP-date (RFC 9110 section 10.2.3 allows either form). */
  throttledUntil: (at: Date): InjectedFailure => ({
    status: 429,
    headers: { 'Retry-After': at.toUTCString() },
    body: { error: { code: 'Throttled', message: 'Too many requests.' } },
  }),
  preconditionFailed: (): InjectedFailure => ({
    status: 412,
    body: { error: { code: 'PreconditionFailed', message: 'Precondition failed, please try again.' } },
  }),
  conversationBlockedByUser: (): InjectedFailure => ({
    status: 403,
    body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } },
  }),
  botNotInConversationRoster: (): InjectedFailure => ({
    status: 403,
    body: { error: { code: 'BotNotInConversationRoster', message: "The bot isn't part of the conversation roster." } },
  }),
  botDisabledByAdmin: (): InjectedFailure => ({
    status: 403,
    body: { error: { code: 'BotDisabledByAdmin', message: 'The tenant admin disabled this bot' } },
  }),
  forbiddenOperation: (): InjectedFailure => ({
    status: 403,
    body: { error: { code: 'ForbiddenOperationException', message: "Bot isn't installed in user's personal scope" } },
  }),
  messageWritesBlocked: (): InjectedFailure => ({
    status: 403,
    body: {
      errorCode: 209,
      message:
        '{\r\n  "subCode": "MessageWritesBlocked",\r\n  "details": "Thread is blocked from message writes.",\r\n  "errorCode": null,\r\n  "errorSubCode": null\r\n}',
    },
  }),
  conversationNotFound: (): InjectedFailure => ({
    status: 404,
    body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } },
  }),
  activityNotFound: (): InjectedFailure => ({
    status: 404,
    body: { error: { code: 'ActivityNotFoundInConversation', message: 'Conversation not found.' } },
  }),
  messageSizeTooBig: (): InjectedFailure => ({
    status: 413,
    body: { error: { code: 'MessageSizeTooBig', message: 'Message size too large.' } },
  }),
  serviceError: (status: 500 | 502 = 502): InjectedFailure => ({
    status,
    body: { error: { code: 'ServiceError', message: 'Service dependency issue.' } },
  }),
} as const;

type Rule = { route: ConnectorRoute; failure: InjectedFailure; remaining: number; conversationId?: string };

export async function startBotConnectorStandIn({
  identity,
  appId,
  tenantId = TEST_TENANT_ID,
  roster = publishedRoster(),
}: {
  identity: LocalIdentityProvider;
  appId: string;
  tenantId?: string;
  roster?: ConnectorMember[];
}): Promise<BotConnectorStandIn> {
  const requests: RecordedConnectorRequest[] = [];
  const rosters = new Map<string, ConnectorMember[]>();
  let defaultRoster = roster;
  const teams = new Map<string, TeamSetup>();
  let rules: Rule[] = [];
  // Teams message ids are epoch milliseconds as strings; a fixed base keeps runs reproducible.
  let nextMessageId = 1_767_000_000_000;
  const newMessageId = () => String(nextMessageId++);

  const rosterFor = (id: string) => rosters.get(id) ?? defaultRoster;

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const router = express.Router();
  app.use('/amer', express.json({ limit: '1mb' }), router);

  type Admitted = { record: RecordedConnectorRequest; reply(status: number, body?: unknown, headers?: Record<string, string>): void };

  /** Records the call, checks the bearer token and applies injected failures; undefined when already answered. */
  const admit = async (route: ConnectorRoute, req: Request, res: Response): Promise<Admitted | undefined> => {
    const params = req.params as Record<string, string | undefined>;
    const authorization = req.headers.authorization;
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const verdict = token ? await identity.verifyBotToken(token, { appId, tenantId }) : { ok: false as const, reason: 'no bearer token' };
    const record: RecordedConnectorRequest = {
      route,
      method: req.method,
      path: req.originalUrl.split('?')[0] ?? req.originalUrl,
      query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])),
      conversationId: params.conversationId,
      activityId: params.activityId,
      memberId: params.memberId,
      teamId: params.teamId,
      body: req.body as unknown,
      authorization,
      authorized: verdict.ok,
      status: 0,
      receivedAt: Date.now(),
    };
    requests.push(record);
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.status(status).set(headers);
      if (body === undefined) res.end();
      else res.json(body);
    };
    if (!verdict.ok) {
      // What the real service answers for a missing or bad bot token (ASP.NET's default 401 body).
      reply(401, { message: 'Authorization has been denied for this request.' });
      return undefined;
    }
    const rule = rules.find(
      (r) => r.route === route && r.remaining > 0 && (!r.conversationId || r.conversationId === record.conversationId),
    );
    if (rule) {
      rule.remaining -= 1;
      reply(rule.failure.status, rule.failure.body, rule.failure.headers);
      return undefined;
    }
    return { record, reply };
  };

  router.post('/v3/conversations', async (req, res) => {
    const call = await admit('createConversation', req, res);
    if (!call) return;
    const params = (req.body ?? {}) as { isGroup?: boolean; channelData?: { channel?: { id?: string } }; members?: Array<{ id?: string }> };
    const channelId = params.channelData?.channel?.id;
    if (params.isGroup && channelId) {
      // New channel thread: fixture 08d's {id, activityId}; the id is the thread's conversation id.
      const activityId = newMessageId();
      call.reply(200, { id: `${channelId};messageid=${activityId}`, activityId });
      return;
    }
    const memberId = params.members?.[0]?.id;
    if (params.isGroup || !memberId) {
      // Teams cannot create a group chat or a channel proactively (MSTD send-proactive-messages.md).
      call.reply(400, { error: { code: 'BadArgument', message: 'Only a 1:1 chat or a new channel thread can be created.' } });
      return;
    }
    // 1:1 chat: fixture 08b's {id:"a:..."}; Teams returns the same chat for the same user and bot.
    const digest = createHash('sha256').update(`${appId}|${memberId}`).digest('base64url');
    call.reply(200, { id: `a:1${digest}${digest}` });
  });
  router.post('/v3/conversations/:conversationId/activities', async (req, res) => {
    const call = await admit('sendToConversation', req, res);
    call?.reply(200, { id: newMessageId() });
  });
  router.post('/v3/conversations/:conversationId/activities/:activityId', async (req, res) => {
    const call = await admit('replyToActivity', req, res);
    call?.reply(200, { id: newMessageId() });
  });
  router.put('/v3/conversations/:conversationId/activities/:activityId', async (req, res) => {
    const call = await admit('updateActivity', req, res);
    // Documented answer to an update: {"id": "{{activityID}}"} (send-proactive-messages.md).
    if (call) call.reply(200, { id: call.record.activityId });
  });
  router.delete('/v3/conversations/:conversationId/activities/:activityId', async (req, res) => {
    const call = await admit('deleteActivity', req, res);
    call?.reply(200);
  });
  router.get('/v3/conversations/:conversationId/members', async (req, res) => {
    const call = await admit('getConversationMembers', req, res);
    if (call) call.reply(200, rosterFor(call.record.conversationId ?? ''));
  });
  router.get('/v3/conversations/:conversationId/pagedmembers', async (req, res) => {
    const call = await admit('getConversationPagedMembers', req, res);
    if (!call) return;
    const { record } = call;
    const members = rosterFor(record.conversationId ?? '');
    const pageSize = Math.min(Math.max(Number(record.query.pageSize ?? 200) || 200, 1), 500);
    const start = record.query.continuationToken ? Number(Buffer.from(record.query.continuationToken, 'base64url').toString()) || 0 : 0;
    const page = members.slice(start, start + pageSize);
    const next = start + pageSize < members.length ? Buffer.from(String(start + pageSize)).toString('base64url') : undefined;
    call.reply(200, next ? { continuationToken: next, members: page } : { members: page });
  });
  router.get('/v3/conversations/:conversationId/members/:memberId', async (req, res) => {
    const call = await admit('getConversationMember', req, res);
    if (!call) return;
    const { record } = call;
    const wanted = (record.memberId ?? '').toLowerCase();
    const member = rosterFor(record.conversationId ?? '').find((m) =>
      [m.id, m.objectId, m.userPrincipalName].some((v) => typeof v === 'string' && v.toLowerCase() === wanted),
    );
    if (member) call.reply(200, member);
    else call.reply(404, { error: { code: 'MemberNotFoundInConversation', message: 'The member is not part of the conversation.' } });
  });
  router.get('/v3/teams/:teamId/conversations', async (req, res) => {
    const call = await admit('fetchChannelList', req, res);
    if (!call) return;
    const { record } = call;
    const teamId = record.teamId ?? '';
    call.reply(200, { conversations: teams.get(teamId)?.channels ?? [{ id: teamId }] });
  });
  router.get('/v3/teams/:teamId', async (req, res) => {
    const call = await admit('fetchTeamDetails', req, res);
    if (!call) return;
    const { record } = call;
    const teamId = record.teamId ?? '';
    call.reply(200, {
      id: teamId,
      name: 'Test Team',
      aadGroupId: '00000000-0000-4000-8000-00000000a9a1',
      type: 'standard',
      ...teams.get(teamId)?.details,
    });
  });
  router.use(async (req, res) => {
    const call = await admit('unknown', req, res);
    if (!call) return;
    call.reply(404, { error: { code: 'NotFound', message: `The stand-in does not serve ${req.method} ${req.path}` } });
  });

  const server = await listenOnLoopback(app);

  return {
    serviceUrl: `${server.origin}/amer/`,
    requests,
    waitFor(predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const poll = () => {
          const found = requests.find(predicate);
          if (found && found.status !== 0) return resolve(found);
          if (Date.now() > deadline) {
            const seen = requests.map((r) => `${r.method} ${r.path} -> ${r.status}`).join('\n  ');
            return reject(new Error(`No matching Bot Connector request within ${timeoutMs} ms. Seen:\n  ${seen || '(none)'}`));
          }
          setTimeout(poll, 10);
        };
        poll();
      });
    },
    setRoster(members, conversationId) {
      if (conversationId === undefined) defaultRoster = members;
      else rosters.set(conversationId, members);
    },
    setTeam(teamId, setup) {
      teams.set(teamId, setup);
    },
    failNext(route, failure, { times = 1, conversationId } = {}) {
      rules.push({ route, failure, remaining: times, conversationId });
    },
    reset() {
      requests.length = 0;
      rules = [];
    },
    close: () => server.close(),
  };
}
