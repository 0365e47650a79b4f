import type { Activity } from 'botbuilder';

import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import type { MailboxReader } from '../../src/app/intake/mailboxReader.ts';
import type { MailGateway } from '../../src/app/mail/mailGateway.ts';
import type { CalendarGateway } from '../../src/app/meetings/calendarGateway.ts';
import type { ChangeSubscriptions } from '../../src/app/meetings/changeSubscriptions.ts';
import { CASE_POST_KINDS } from '../../src/app/teams/caseMessageDelivery.ts';
import { composeServices, type Services } from '../../src/composition.ts';
import { readConfig } from '../../src/config.ts';
import {
  type BotConnectorStandIn,
  type ConnectorMember,
  type RecordedConnectorRequest,
  startBotConnectorStandIn,
} from './botframework/botConnectorStandIn.ts';
import { type ListeningServer, listenOnLoopback } from './botframework/listen.ts';
import {
  type LocalIdentityProvider,
  startLocalIdentityProvider,
  TEST_APP_ID,
  TEST_TENANT_ID,
  TestCredentialsFactory,
} from './botframework/localIdentityProvider.ts';
import { postActivity } from './botframework/postActivity.ts';
import { botAddedToTeam, teamsBotAccount } from './botframework/teamsActivities.ts';
import { DSP, fakeClock } from './fixtures.ts';
import { openPgliteSchema } from './testDatabases.ts';

/** Obviously fictional people, each with a Teams id (29:) and an Entra object id. */
export const PEOPLE = {
  laDsp: { id: '29:test-la-dsp', name: 'Test DSP Local Authority', aadObjectId: DSP.local_authority },
  policeDsp: { id: '29:test-police-dsp', name: 'Test DSP Police', aadObjectId: DSP.police },
  healthDsp: { id: '29:test-health-dsp', name: 'Test DSP Health', aadObjectId: DSP.health },
  notifier: { id: '29:test-notifier', name: 'Test Notifier Hartlepool', aadObjectId: '00000000-0000-4000-8000-00000000b001' },
  manager: { id: '29:test-manager', name: 'Test Business Manager', aadObjectId: '00000000-0000-4000-8000-00000000b002' },
  referrer: { id: '29:test-referrer', name: 'Test Referrer', aadObjectId: '00000000-0000-4000-8000-00000000b003' },
  outsider: { id: '29:test-outsider', name: 'Test Outsider', aadObjectId: '00000000-0000-4000-8000-00000000b004' },
  policeLead: { id: '29:test-police-lead', name: 'Test Safeguarding Lead Police', aadObjectId: '00000000-0000-4000-8000-00000000b005' },
} as const;
export type PersonKey = keyof typeof PEOPLE;

export const TEAM = {
  id: '19:test-partnership-team@thread.tacv2',
  name: 'Test Safeguarding Partnership',
  aadGroupId: '00000000-0000-4000-8000-00000000c001',
};
export const CHANNEL = { id: '19:test-case-channel@thread.tacv2', name: 'Cases' };

export interface TeamsHarness {
  readonly services: Services;
  readonly identity: LocalIdentityProvider;
  readonly connector: BotConnectorStandIn;
  readonly bot: ListeningServer;
  readonly clock: ReturnType<typeof fakeClock>;
  readonly db: Database;
  readonly botAccount: { id: string; name: string };
  /** POSTs with a valid channel token for the activity's serviceUrl. */
  send(activity: Activity): Promise<{ status: number; body: unknown }>;
  /** Waits for everything the bot started after answering (channel posts, 1:1 copies). */
  settle(): Promise<void>;
  /** Connector requests that carried an Adaptive Card, with the card's content. */
  cardsSent(predicate?: (r: RecordedConnectorRequest) => boolean): { request: RecordedConnectorRequest; card: Record<string, unknown> }[];
  close(): Promise<void>;
}

function member(key: PersonKey): ConnectorMember {
  const p = PEOPLE[key];
  return {
    id: p.id,
    name: p.name,
    objectId: p.aadObjectId,
    aadObjectId: p.aadObjectId,
    tenantId: TEST_TENANT_ID,
    userRole: 'user',
    email: `${key.toLowerCase()}@partnership.example`,
  };
}

/** The real service (auth on) with the local identity provider and Bot Connector stand-in around it. */
export async function startTeamsHarness(
  options: {
    env?: Record<string, string>;
    calendar?: CalendarGateway;
    mail?: MailGateway;
    subscriptions?: ChangeSubscriptions;
    mailbox?: MailboxReader;
    db?: Database;
  } = {},
): Promise<TeamsHarness> {
  const identity = await startLocalIdentityProvider();
  const connector = await startBotConnectorStandIn({
    identity,
    appId: TEST_APP_ID,
    roster: (Object.keys(PEOPLE) as PersonKey[]).map(member),
  });
  // PGlite unless the caller opened a store (PostgreSQL, for the engine suites); closing closes it.
  const db = options.db ?? (await openPgliteSchema());
  const clock = fakeClock('2026-11-19T10:00:00Z');
  const services = await composeServices(
    readConfig({ MicrosoftAppId: TEST_APP_ID, MicrosoftAppTenantId: TEST_TENANT_ID, LOG_LEVEL: 'silent', ...options.env }),
    {
      db,
      now: clock.now,
      ...(options.calendar ? { calendar: options.calendar } : {}),
      ...(options.mail ? { mail: options.mail } : {}),
      ...(options.subscriptions ? { subscriptions: options.subscriptions } : {}),
      ...(options.mailbox ? { mailbox: options.mailbox } : {}),
      botAuth: {
        endpoints: identity.botFrameworkAuthConfig(TEST_APP_ID),
        credentialsFactory: new TestCredentialsFactory({ appId: TEST_APP_ID, identity }),
        openIdMetadataUrl: identity.channelOpenIdMetadataUrl,
      },
    },
  );
  const bot = await listenOnLoopback(services.http);
  return {
    services,
    identity,
    connector,
    bot,
    clock,
    db,
    botAccount: teamsBotAccount(TEST_APP_ID),
    async send(activity) {
      const token = await identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: connector.serviceUrl });
      return postActivity(bot.origin, activity, { token });
    },
    async settle() {
      // What the bot started, then what actions queued for Teams (threads, copies, notes, card
      // refreshes), until nothing of it is left. Other kinds (bookings, emails, alerts) wait for the
      // test's own send(), as the service's periodic round would.
      for (;;) {
        await services.work.drain();
        const round = await services.send({ kinds: CASE_POST_KINDS });
        if (round.sent + round.cancelled + round.failed + round.retried === 0) return;
      }
    },
    cardsSent(predicate = () => true) {
      return connector.requests.filter(predicate).flatMap((request) => {
        const body = request.body as {
          attachments?: { contentType: string; content: Record<string, unknown> }[];
          activity?: { attachments?: { contentType: string; content: Record<string, unknown> }[] };
        };
        const attachments = body?.attachments ?? body?.activity?.attachments ?? [];
        return attachments
          .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
          .map((a) => ({ request, card: a.content }));
      });
    },
    async close() {
      await services.work.drain();
      await bot.close();
      await connector.close();
      await identity.close();
      await db.close();
    },
  };
}

/** The three DSPs of the fictional test team, one per agency. */
export async function assignTestDsps(h: TeamsHarness): Promise<void> {
  for (const [who, agency] of [
    ['laDsp', 'local_authority'],
    ['policeDsp', 'police'],
    ['healthDsp', 'health'],
  ] as const) {
    await assignRole(h.db, { role: 'dsp', scope: agency, userId: PEOPLE[who].aadObjectId });
  }
}

/** The bot added to the test team's Cases channel, by the business manager. */
export async function installInTestTeam(h: TeamsHarness): Promise<void> {
  await h.send(
    botAddedToTeam({
      serviceUrl: h.connector.serviceUrl,
      bot: h.botAccount,
      from: { ...PEOPLE.manager },
      tenantId: TEST_TENANT_ID,
      team: TEAM,
      channel: CHANNEL,
    }),
  );
}
