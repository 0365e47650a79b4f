import { composeServices } from '../../../src/composition.ts';
import { readConfig } from '../../../src/config.ts';
import type { Database } from '../../../src/adapters/store/sqlExecutor.ts';
import { startBotConnectorStandIn, type ConnectorMember } from '../../support/botframework/botConnectorStandIn.ts';
import { listenOnLoopback } from '../../support/botframework/listen.ts';
import { startLocalIdentityProvider, TestCredentialsFactory, TEST_APP_ID, TEST_TENANT_ID } from '../../support/botframework/localIdentityProvider.ts';
import { postActivity } from '../../support/botframework/postActivity.ts';
import { teamsBotAccount } from '../../support/botframework/teamsActivities.ts';
import { fakeClock } from '../../support/fixtures.ts';
import { PEOPLE, type PersonKey, type TeamsHarness } from '../../support/teamsHarness.ts';

function member(key: PersonKey): ConnectorMember {
  const p = PEOPLE[key];
  return { id: p.id, name: p.name, objectId: p.aadObjectId, aadObjectId: p.aadObjectId, tenantId: TEST_TENANT_ID, userRole: 'user', email: `${key.toLowerCase()}@partnership.example` };
}

/**
 * startTeamsHarness (test/support/teamsHarness.ts) opens PGlite and takes no database, so this is
 * the same composition over a database the caller opened: the real service with bot authentication
 * on, the local OpenID/JWKS identity provider and the Bot Connector stand-in. Closing it closes `db`.
 */
export async function startHarnessOn(db: Database, options: { env?: Record<string, string> } = {}): Promise<TeamsHarness> {
  const identity = await startLocalIdentityProvider();
  const connector = await startBotConnectorStandIn({ identity, appId: TEST_APP_ID, roster: (Object.keys(PEOPLE) as PersonKey[]).map(member) });
  const clock = fakeClock('2026-11-19T10:00:00Z');
  const services = await composeServices(
    readConfig({ MicrosoftAppId: TEST_APP_ID, MicrosoftAppTenantId: TEST_TENANT_ID, LOG_LEVEL: 'silent', ...options.env }),
    {
      db, now: clock.now,
      botAuth: {
        endpoints: identity.botFrameworkAuthConfig(TEST_APP_ID),
        credentialsFactory: new TestCredentialsFactory({ appId: TEST_APP_ID, identity }),
        openIdMetadataUrl: identity.channelOpenIdMetadataUrl,
      },
    },
  );
  const bot = await listenOnLoopback(services.http);
  return {
    services, identity, connector, bot, clock, db,
    botAccount: teamsBotAccount(TEST_APP_ID),
    async send(activity) {
      const token = await identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: connector.serviceUrl });
      return postActivity(bot.origin, activity, { token });
    },
    settle: () => services.work.drain(),
    cardsSent(predicate = () => true) {
      return connector.requests.filter(predicate).flatMap((request) => {
        const body = request.body as { attachments?: { contentType: string; content: Record<string, unknown> }[]; activity?: { attachments?: { contentType: string; content: Record<string, unknown> }[] } };
        const attachments = body?.attachments ?? body?.activity?.attachments ?? [];
        return attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => ({ request, card: a.content }));
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
