import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { ManagedIdentityCredential } from '@azure/identity';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';

import { createLocalCalendar } from './adapters/calendar/localCalendar.ts';
import { createGraphCalendar } from './adapters/graph/graphCalendar.ts';
import { createGraphClient } from './adapters/graph/graphClient.ts';
import { graphCredential } from './adapters/graph/graphCredential.ts';
import { createGraphMail } from './adapters/graph/graphMail.ts';
import { createGraphMailbox } from './adapters/graph/graphMailbox.ts';
import { createGraphSubscriptions } from './adapters/graph/graphSubscriptions.ts';
import { createLocalMail } from './adapters/local/localMail.ts';
import { createLogger, type Logger } from './adapters/log/logger.ts';
import { loadProfileFile, loadProfiles } from './adapters/profiles/loadProfiles.ts';
import { migrate } from './adapters/store/migrate.ts';
import type { OutboxKind } from './adapters/store/outboxRepository.ts';
import { releaseClaims } from './adapters/store/outboxRepository.ts';
import { openPgliteDatabase } from './adapters/store/pgliteDatabase.ts';
import { openPostgresDatabase } from './adapters/store/postgresDatabase.ts';
import type { Database } from './adapters/store/sqlExecutor.ts';
import { createCloudAdapter } from './adapters/teams/botAuthentication.ts';
import { createBotbuilderTeamsGateway } from './adapters/teams/botbuilderTeamsGateway.ts';
import { channelTokenGuard } from './adapters/teams/channelTokenGuard.ts';
import { createLocalTabSessions } from './adapters/teams/localTabSession.ts';
import { PartnershipBot } from './adapters/teams/partnershipBot.ts';
import { createTabTokenVerifier } from './adapters/teams/tabTokenVerifier.ts';
import type { AppContext } from './app/appContext.ts';
import { type BackgroundWork, createBackgroundWork } from './app/backgroundWork.ts';
import { type TickResult, watchDeadlines } from './app/deadlines/deadlineWatch.ts';
import type { MailboxReader } from './app/intake/mailboxReader.ts';
import { pollMailbox } from './app/intake/pollMailbox.ts';
import type { MailGateway } from './app/mail/mailGateway.ts';
import type { CalendarGateway } from './app/meetings/calendarGateway.ts';
import type { ChangeSubscriptions } from './app/meetings/changeSubscriptions.ts';
import { ensureEventSubscription, handleEventNotifications } from './app/meetings/eventNotifications.ts';
import { checkMeetingResponses } from './app/meetings/meetingResponses.ts';
import { sendDueMessages, type SendResult } from './app/outbox/outboxSender.ts';
import { rateLimitedGateway } from './app/outbox/rateLimitedGateway.ts';
import { applyPeopleConfig } from './app/people/applyPeopleConfig.ts';
import { CASE_POST_KINDS } from './app/teams/caseMessageDelivery.ts';
import { createTeamsApp } from './app/teams/teamsApp.ts';
import type { TeamsGateway } from './app/teams/teamsGateway.ts';
import { allowedTenants, type Config, listSetting } from './config.ts';
import { createWorkingDayCalendar, readBankHolidayFile } from './domain/calendar/index.ts';
import { ProfileError } from './domain/profiles/parseProfile.ts';
import type { Profile } from './domain/profiles/profileSchema.ts';
import { createHttpApp } from './http/createHttpApp.ts';

/** How long the woken sender waits before delivering what an action queued (see wakeSender). */
const WAKE_DELAY_MS = 250;

export interface ComposeOptions {
  readonly now?: () => Date;
  /** Tests: a local OpenID/JWKS and Bot Connector, with the real validation code. */
  readonly botAuth?: {
    endpoints: Partial<ConfigurationBotFrameworkAuthenticationOptions>;
    credentialsFactory: ServiceClientCredentialsFactory;
    openIdMetadataUrl: string;
  };
  /** Tests: a calendar and mail over a local Graph stand-in. */
  readonly calendar?: CalendarGateway;
  readonly mail?: MailGateway;
  readonly subscriptions?: ChangeSubscriptions;
  readonly mailbox?: MailboxReader;
  /** Tests: an already-open database (e.g. a schema of its own). */
  readonly db?: Database;
}

export interface Services {
  readonly config: Config;
  /** Names this process's outbox claims, so a crashed instance's claims can be told apart. */
  readonly instanceId: string;
  /** One look at the clocks: raises the alerts now due (and the daily digest). */
  watch(): Promise<TickResult>;
  /** Delivers what is due in the outbox (of the given kinds only, if named). */
  send(options?: { kinds?: readonly OutboxKind[] }): Promise<SendResult>;
  /** Reads attendees' answers to upcoming meetings; a required attendee's decline is raised in the thread. */
  checkMeetings(): Promise<{ checked: number; declines: number }>;
  /** Looks at the partnership mailbox for new emails to triage (when Graph is configured). */
  pollMailbox(): Promise<{ newDrafts: number } | 'off'>;
  /** Creates or renews the Graph subscription on the mailbox's events (when PUBLIC_URL and Graph are set). */
  keepSubscription(): Promise<'created' | 'renewed' | 'current' | 'off'>;
  readonly logger: Logger;
  readonly ctx: AppContext;
  readonly gateway: TeamsGateway;
  readonly work: BackgroundWork;
  readonly http: ReturnType<typeof createHttpApp>;
  close(): Promise<void>;
}

function chooseProfile(config: Config): Profile {
  const shipped = loadProfiles(); // validates every shipped profile, so a bad release fails at start
  if (config.PROFILE_FILE) return loadProfileFile(config.PROFILE_FILE);
  const profile = shipped.get(config.PROFILE);
  if (!profile)
    throw new ProfileError('PROFILE', 'PROFILE', `no shipped profile "${config.PROFILE}"; choose one of ${[...shipped.keys()].join(', ')}`);
  return profile;
}

/** Azure Database for PostgreSQL's Entra tokens are for this resource. */
const POSTGRES_TOKEN_SCOPE = 'https://ossrdbms-aad.database.windows.net/.default';

async function openDatabase(config: Config): Promise<Database> {
  if (!config.DATABASE_URL) return openPgliteDatabase(config.DATA_DIR);
  if (config.DATABASE_AUTH !== 'entra') return openPostgresDatabase({ connectionString: config.DATABASE_URL });
  // Each new connection signs in with a current token from the managed identity (tokens last about an hour).
  const credential = new ManagedIdentityCredential({ clientId: config.MANAGED_IDENTITY_CLIENT_ID ?? '' });
  return openPostgresDatabase({
    connectionString: config.DATABASE_URL,
    password: async () => (await credential.getToken(POSTGRES_TOKEN_SCOPE)).token,
  });
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The composition root's wiring: everything the service needs, built from the config. */
export async function composeServices(config: Config, options: ComposeOptions = {}): Promise<Services> {
  const logger = createLogger(config.LOG_LEVEL);
  const profile = chooseProfile(config);
  const calendar = createWorkingDayCalendar({
    ...(config.BANK_HOLIDAYS_FILE
      ? { publishedHolidays: readBankHolidayFile(readJson(config.BANK_HOLIDAYS_FILE), config.BANK_HOLIDAYS_FILE) }
      : {}),
    onWarning: (message) => logger.warn({ component: 'calendar' }, message),
  });
  const db = options.db ?? (await openDatabase(config));
  const { applied, version } = await migrate(db);
  logger.info({ engine: db.engine, schemaVersion: version, applied, profile: profile.id }, 'store ready');
  const ctx: AppContext = { db, profile, calendar, now: options.now ?? (() => new Date()), newId: randomUUID };
  if (config.PEOPLE_FILE && (await applyPeopleConfig(ctx, readJson(config.PEOPLE_FILE))))
    logger.info('role assignments updated from PEOPLE_FILE');

  const adapter = createCloudAdapter(
    {
      appId: config.MicrosoftAppId,
      appType: config.MicrosoftAppType,
      tenantId: config.MicrosoftAppTenantId,
      password: config.MicrosoftAppPassword,
    },
    options.botAuth ?? {},
  );
  adapter.onTurnError = async (turn, error) => {
    logger.error(
      { err: { name: error.name, message: error.message }, activityType: turn.activity.type, activityId: turn.activity.id },
      'turn failed',
    );
    if (turn.activity.type !== 'message') return;
    try {
      await turn.sendActivity('Sorry, something went wrong. Nothing was changed.');
    } catch (apologyError) {
      // The connector refused the apology too (as it may have refused the reply): the turn ends here,
      // answered 200, rather than as a 500 carrying the connector's message.
      logger.error(
        { err: { name: (apologyError as Error).name, message: (apologyError as Error).message }, activityId: turn.activity.id },
        'apology not delivered',
      );
    }
  };
  const gateway = createBotbuilderTeamsGateway(adapter, config.MicrosoftAppId);
  // What is sent outside the outbox (a roster read for an admin, a meeting's notice in its thread)
  // counts against Teams' limits too. The sender holds its own calls to them (outboxSender.ts).
  const limitedGateway = rateLimitedGateway(gateway, { db, maxWaitMs: 30_000 });
  const work = createBackgroundWork((error) =>
    logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'background work failed'),
  );
  const graph = config.GRAPH_AUTH
    ? createGraphClient({
        credential: graphCredential({
          auth: config.GRAPH_AUTH,
          tenantId: config.GRAPH_TENANT_ID,
          clientId: config.GRAPH_CLIENT_ID,
          clientSecret: config.GRAPH_CLIENT_SECRET,
          certificatePath: config.GRAPH_CERTIFICATE_PATH,
        }),
      })
    : undefined;
  const meetingsCalendar = options.calendar ?? (graph ? createGraphCalendar(graph) : createLocalCalendar(db));
  const mail = options.mail ?? (graph ? createGraphMail(graph) : createLocalMail());
  const app = createTeamsApp({
    ctx,
    gateway: limitedGateway,
    logger,
    adminUserIds: listSetting(config.ADMIN_USER_IDS),
    calendar: meetingsCalendar,
    organizer: config.PARTNERSHIP_MAILBOX,
  });
  const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const sender = {
    ctx,
    gateway,
    logger,
    instanceId,
    leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
    calendar: meetingsCalendar,
    mail,
    organizer: config.PARTNERSHIP_MAILBOX,
  };
  // Woken after an action queued posts: delivers them at once (the periodic round would take up to
  // 3 s). Only a shortcut: the rows are in the outbox either way, and the round delivers them if this
  // process dies first.
  let wakeWanted = false;
  let waking = false;
  const wakeSender = () => {
    wakeWanted = true;
    if (waking) return;
    waking = true;
    work.run(async () => {
      try {
        // A moment's wait first: the invoke's own answer must reach Teams before the update of the
        // card it was clicked on (Teams shows whichever comes last), and a burst coalesces meanwhile.
        await sleep(WAKE_DELAY_MS);
        while (wakeWanted) {
          wakeWanted = false;
          await sendDueMessages(sender, { kinds: CASE_POST_KINDS });
        }
      } finally {
        waking = false;
      }
    });
  };
  const bot = new PartnershipBot(app, wakeSender, logger);
  const subscriptions = options.subscriptions ?? (graph ? createGraphSubscriptions(graph) : undefined);
  const mailboxReader = options.mailbox ?? (graph ? createGraphMailbox(graph) : undefined);
  const booking = { ctx, gateway: limitedGateway, logger, calendar: meetingsCalendar, organizer: config.PARTNERSHIP_MAILBOX };
  const graphNotifications =
    subscriptions && config.PUBLIC_URL
      ? (body: unknown) =>
          work.run(async () => {
            const result = await handleEventNotifications(booking, body);
            if (result.rejected > 0) logger.warn(result, 'change notifications with a wrong clientState were ignored');
          })
      : undefined;
  const tokenGuard = config.MicrosoftAppId
    ? channelTokenGuard({
        appId: config.MicrosoftAppId,
        openIdMetadataUrl: options.botAuth?.openIdMetadataUrl ?? config.BOT_OPENID_METADATA_URL,
      })
    : undefined;
  if (!tokenGuard) logger.warn('MicrosoftAppId is not set: bot authentication is OFF (local demo only)');
  // The tab signs people in through Teams SSO when an Entra app is configured; only the local demo
  // (no app at all) offers a local sign-in as one of the configured people.
  const ssoClientId = config.TAB_SSO_CLIENT_ID ?? config.MicrosoftAppId;
  const tab = ssoClientId
    ? {
        ctx,
        verifySsoToken: createTabTokenVerifier({
          clientId: ssoClientId,
          jwksUrl: config.TAB_SSO_JWKS_URL,
          allowedTenantIds: allowedTenants(config),
          ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
        }),
      }
    : { ctx, localSessions: createLocalTabSessions(ctx.now) };
  if (!ssoClientId) logger.warn('no Entra app for the tab: the dashboard offers a local sign-in (local demo only)');
  const http = createHttpApp({
    db,
    logger,
    tab,
    bot: { adapter, bot, allowedTenantIds: allowedTenants(config), ...(tokenGuard ? { tokenGuard } : {}) },
    ...(graphNotifications ? { graphNotifications } : {}),
  });

  return {
    config,
    logger,
    ctx,
    gateway,
    work,
    http,
    instanceId,
    watch: () => watchDeadlines(ctx, { digestTime: config.DIGEST_TIME }),
    send: (options) => sendDueMessages(sender, options),
    checkMeetings: () => checkMeetingResponses(booking),
    pollMailbox: async () => (mailboxReader ? pollMailbox(ctx, mailboxReader, config.PARTNERSHIP_MAILBOX) : 'off'),
    keepSubscription: async () =>
      subscriptions && config.PUBLIC_URL
        ? ensureEventSubscription(
            ctx,
            subscriptions,
            config.PARTNERSHIP_MAILBOX,
            new URL('/api/graph/notifications', config.PUBLIC_URL).toString(),
          )
        : 'off',
    async close() {
      await work.drain();
      const released = await releaseClaims(db, instanceId);
      if (released > 0) logger.info({ released }, 'released claimed outbox messages for another instance');
      await db.close();
    },
  };
}
