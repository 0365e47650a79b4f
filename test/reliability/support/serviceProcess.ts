// One instance of the service as its own process, for test/reliability/postsCrash.test.ts: the real
// composition (src/composition.ts) on PostgreSQL with bot authentication on, listening for Teams, with
// src/main.ts's background loops (the deadline watch and the outbox sender, each never overlapping
// itself). Teams around it (the identity provider and the Bot Connector stand-in) run in the test's
// process: channel tokens are checked against the provider's published keys over HTTP, and the bot's
// own Bot Connector tokens are signed there too (TOKEN_URL), so no key crosses the process boundary.
//
// With WAIT_FOR_GO=1 the process loads its modules (what takes seconds under tsx) and says "warm",
// then composes and listens only when a line arrives on stdin: a spare the test starts ahead, so a
// restart after a kill costs the composition, not the compile. Nothing is composed before "go".
// The crash tests run it compiled into one file (crashableService.ts, bundleServiceProcess); it runs
// as it is under `node --import tsx` too.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';

import { composeServices } from '../../../src/composition.ts';
import { readConfig } from '../../../src/config.ts';
import {
  type BotTokenRequest,
  type LocalIdentityProvider,
  TEST_APP_ID,
  TEST_TENANT_ID,
  TestCredentialsFactory,
} from '../../support/botframework/localIdentityProvider.ts';

const env = process.env;
const offset = Number(env.CLOCK_OFFSET_MS ?? 0);
const botAuth = JSON.parse(env.BOT_AUTH ?? '{}') as {
  endpoints: Partial<ConfigurationBotFrameworkAuthenticationOptions>;
  openIdMetadataUrl: string;
  identityUrl: string;
  tokenUrl: string;
};

/** The bot's outbound tokens, from the test's identity provider; each kept while it has over 5 minutes left. */
const tokens = new Map<string, { token: string; until: number }>();
async function signBotToken(request: BotTokenRequest): Promise<string> {
  const key = JSON.stringify(request);
  const kept = tokens.get(key);
  if (kept && kept.until > Date.now()) return kept.token;
  const res = await fetch(botAuth.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: key });
  if (!res.ok) throw new Error(`token service answered ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  tokens.set(key, { token, until: Date.now() + 55 * 60_000 });
  return token;
}
/** What TestCredentialsFactory uses of the identity provider: where it is, and a signed bot token. */
const identity = { url: botAuth.identityUrl, signBotToken } as unknown as LocalIdentityProvider;

if (env.WAIT_FOR_GO === '1') {
  process.stdout.write('warm\n');
  process.stdin.setEncoding('utf8');
  await once(process.stdin, 'data');
}

const config = readConfig({
  DATABASE_URL: env.DATABASE_URL,
  MicrosoftAppId: TEST_APP_ID,
  MicrosoftAppTenantId: TEST_TENANT_ID,
  LOG_LEVEL: env.LOG_LEVEL ?? 'silent',
  OUTBOX_LEASE_SECONDS: env.OUTBOX_LEASE_SECONDS ?? '5',
  WATCH_INTERVAL_SECONDS: env.WATCH_INTERVAL_SECONDS ?? '5',
  DIGEST_TIME: '23:59',
});
const services = await composeServices(config, {
  now: () => new Date(Date.now() + offset),
  botAuth: {
    endpoints: botAuth.endpoints,
    credentialsFactory: new TestCredentialsFactory({ appId: TEST_APP_ID, identity }),
    openIdMetadataUrl: botAuth.openIdMetadataUrl,
  },
});
const server: Server = services.http.listen(0, '127.0.0.1');
await once(server, 'listening');

/** src/main.ts's loops: each round starts on its interval unless the previous one is still running. */
const every = (ms: number, name: string, work: () => Promise<unknown>) => {
  let busy = false;
  setInterval(() => {
    if (busy) return;
    busy = true;
    work()
      .catch((error: unknown) => process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`))
      .finally(() => {
        busy = false;
      });
  }, ms);
};
every(config.WATCH_INTERVAL_SECONDS * 1000, 'deadline watch', async () => {
  await services.watch();
  await services.keepSubscription();
  await services.pollMailbox();
  await services.checkMeetings();
});
every(Number(env.SENDER_INTERVAL_MS ?? 3000), 'outbox sender', () => services.send());

process.stdout.write(`ready ${(server.address() as AddressInfo).port} ${services.instanceId}\n`);
