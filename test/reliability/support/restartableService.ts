import { once } from 'node:events';
import { Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as pause } from 'node:timers/promises';

import type { SendResult } from '../../../src/app/outbox/outboxSender.ts';
import { composeServices, type Services } from '../../../src/composition.ts';
import { readConfig } from '../../../src/config.ts';
import { type BotConnectorStandIn, startBotConnectorStandIn } from '../../support/botframework/botConnectorStandIn.ts';
import {
  type LocalIdentityProvider,
  startLocalIdentityProvider,
  TEST_APP_ID,
  TEST_TENANT_ID,
  TestCredentialsFactory,
} from '../../support/botframework/localIdentityProvider.ts';
import { PEOPLE, type PersonKey } from '../../support/teamsHarness.ts';

/** Teams around the service, kept across its restarts: the identity provider and the Bot Connector. */
export interface TeamsStandIns {
  readonly identity: LocalIdentityProvider;
  readonly connector: BotConnectorStandIn;
  close(): Promise<void>;
}

export async function startTeamsStandIns(): Promise<TeamsStandIns> {
  const identity = await startLocalIdentityProvider();
  const roster = (Object.keys(PEOPLE) as PersonKey[]).map((key) => {
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
  });
  const connector = await startBotConnectorStandIn({ identity, appId: TEST_APP_ID, roster });
  return {
    identity,
    connector,
    async close() {
      await connector.close();
      await identity.close();
    },
  };
}

/** One running instance of the service: composed from its config (it opens its own store), listening. */
export interface ServiceInstance {
  readonly services: Services;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly port: number;
  /**
   * Stops as src/main.ts does on SIGTERM: server.close(), closeIdleConnections(), wait for 'close',
   * then services.close(). With `graceMs`, connections still open after that long are cut (as the
   * platform's SIGKILL would end them; main.ts itself has no such deadline, see restartUnderLoad's
   * SIGTERM test), so that a restart under continuous load can go on.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** How stopping went: the HTTP server's close, whether it had to be cut short, then services.close(). */
  readonly stopTimings: { httpMs: number; forced: boolean; servicesMs: number };
}

/**
 * Composes the real service with bot authentication on (as test/support/teamsHarness.ts does) from
 * `env`, runs `beforeListen` (the store is open, no request is taken yet), then listens on `port`
 * (0: any free one; the same port again after a restart, so clients need not be told).
 */
export async function startServiceInstance(options: {
  env: Record<string, string>;
  standIns: TeamsStandIns;
  now: () => Date;
  port?: number;
  beforeListen?: (services: Services) => Promise<void>;
}): Promise<ServiceInstance> {
  const { identity } = options.standIns;
  const services = await composeServices(
    readConfig({ MicrosoftAppId: TEST_APP_ID, MicrosoftAppTenantId: TEST_TENANT_ID, LOG_LEVEL: 'silent', ...options.env }),
    {
      now: options.now,
      botAuth: {
        endpoints: identity.botFrameworkAuthConfig(TEST_APP_ID),
        credentialsFactory: new TestCredentialsFactory({ appId: TEST_APP_ID, identity }),
        openIdMetadataUrl: identity.channelOpenIdMetadataUrl,
      },
    },
  );
  await options.beforeListen?.(services);
  const server: Server = services.http.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  const stopTimings = { httpMs: 0, forced: false, servicesMs: 0 };
  return {
    services,
    port,
    origin: `http://127.0.0.1:${port}`,
    stopTimings,
    stop(stopOptions = {}) {
      // src/main.ts's stop(), in order; once.
      stopped ??= (async () => {
        const begun = Date.now();
        const closed = once(server, 'close');
        server.close();
        server.closeIdleConnections();
        if (stopOptions.graceMs !== undefined) {
          const cut = setTimeout(() => {
            stopTimings.forced = true;
            server.closeAllConnections();
          }, stopOptions.graceMs);
          await closed;
          clearTimeout(cut);
        } else {
          await closed;
        }
        stopTimings.httpMs = Date.now() - begun;
        await services.close();
        stopTimings.servicesMs = Date.now() - begun - stopTimings.httpMs;
      })();
      return stopped;
    },
  };
}

/** The outbox sender's loop from src/main.ts (a round every `everyMs`, never overlapping itself). */
export function startSenderLoop(services: Services, everyMs: number) {
  const stopping = new AbortController();
  const totals: Record<keyof SendResult, number> = { sent: 0, retried: 0, failed: 0, cancelled: 0, resent: 0 };
  const errors: string[] = [];
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        const result = await services.send();
        for (const key of Object.keys(totals) as (keyof SendResult)[]) totals[key] += result[key];
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
      await pause(everyMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    totals,
    errors,
    /** Lets the round in progress finish, as main.ts's loops.stop() does. */
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

/**
 * One client's connection to the bot, as a channel holds one: HTTP/1.1 with keep-alive (node:http,
 * one socket per client). POSTs an activity with a channel token; rejects when the connection is
 * refused or dropped, so the caller can try again.
 */
export function botClient(origin: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(origin);
  return {
    post(activity: unknown, token: string): Promise<{ status: number; body: unknown }> {
      const payload = JSON.stringify(activity);
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: hostname,
            port,
            path: '/api/messages',
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => {
              const json = res.headers['content-type']?.includes('json') && text !== '';
              resolve({ status: res.statusCode ?? 0, body: json ? (JSON.parse(text) as unknown) : text });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
