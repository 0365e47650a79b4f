import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';

import { DEMO_PEOPLE_FILE, DEMO_PLAYGROUND } from './adapters/playground/demoPeople.ts';
import { writePlaygroundConfig } from './adapters/playground/playgroundConfig.ts';
import { startPlayground } from './adapters/playground/playgroundProcess.ts';
import { applyPeopleConfig } from './app/people/applyPeopleConfig.ts';
import { composeServices, type Services } from './composition.ts';
import { type Config, readConfig } from './config.ts';

/**
 * The local demo: with no bot identity, the Microsoft 365 Agents Playground stands in for Teams,
 * with fictional demo people who hold the roles needed to walk a referral through.
 */
async function startDemo(config: Config, services: Services) {
  if (!config.PEOPLE_FILE && services.ctx.profile.id === 'hsscp') await applyPeopleConfig(services.ctx, DEMO_PEOPLE_FILE);
  const dir = resolve(config.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, '.m365agentsplayground.yml');
  writePlaygroundConfig(configFile, DEMO_PLAYGROUND);
  const playground = await startPlayground({
    botEndpoint: `http://127.0.0.1:${config.PORT}/api/messages`,
    port: Number(config.PLAYGROUND),
    configFile,
  });
  services.logger.info(
    { url: playground.url },
    `Agents Playground ready: open ${playground.url} in a browser, open the "Cases" channel, then type "new referral" in Personal Chat`,
  );
  return playground;
}

/**
 * The deadline watch (every WATCH_INTERVAL_SECONDS) and the outbox sender (every few seconds), each
 * never overlapping itself. Failures are logged and the next round tries again.
 */
function startBackgroundLoops(config: Config, services: Services) {
  const running = new Set<Promise<unknown>>();
  const every = (ms: number, name: string, work: () => Promise<unknown>) => {
    let busy = false;
    return setInterval(() => {
      if (busy) return;
      busy = true;
      const round = work()
        .catch((error: unknown) =>
          services.logger.error(
            { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
            `${name} failed`,
          ),
        )
        .finally(() => {
          busy = false;
          running.delete(round);
        });
      running.add(round);
    }, ms);
  };
  const timers = [
    every(config.WATCH_INTERVAL_SECONDS * 1000, 'deadline watch', async () => {
      const tick = await services.watch();
      if (tick.alerts > 0 || tick.digest) services.logger.info(tick, 'deadline watch raised alerts');
      await services.keepSubscription();
      await services.pollMailbox();
      const meetings = await services.checkMeetings();
      if (meetings.declines > 0) services.logger.info(meetings, 'meeting declines raised');
    }),
    every(3000, 'outbox sender', () => services.send()),
  ];
  return {
    async stop() {
      timers.forEach(clearInterval);
      await Promise.allSettled([...running]);
    },
  };
}

/** How long requests in flight at shutdown get to finish (platforms allow about 30 s before killing). */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Starts the service: config, store and migrations, then HTTP. Stops cleanly on SIGTERM/SIGINT,
 * finishing work already started.
 */
async function main() {
  const config = readConfig();
  const services = await composeServices(config);
  const server = services.http.listen(config.PORT);
  await once(server, 'listening');
  services.logger.info(
    {
      port: config.PORT,
      engine: services.ctx.db.engine,
      profile: services.ctx.profile.id,
      auth: config.MicrosoftAppId ? 'on' : 'off (local demo)',
    },
    'listening',
  );

  const playground = !config.MicrosoftAppId && config.PLAYGROUND !== 'off' ? await startDemo(config, services) : undefined;
  const loops = startBackgroundLoops(config, services);

  // Once stopping, every answer closes its connection: a kept-alive connection would otherwise go on
  // taking new requests, and the server would never finish closing.
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.prependListener('request', (_req, res) => {
    if (stopping) closeAfter(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });

  const stop = async (signal: string) => {
    services.logger.info({ signal }, 'stopping');
    stopping = true;
    inFlight.forEach(closeAfter); // requests already being answered close their connection too
    // Stop taking work, finish what is in flight (turns, the watch, sends), then give back claimed
    // outbox messages to the other instances (services.close).
    // Listen for the close before anything else is awaited: an idle server closes at once, and a
    // listener attached later would wait for an event already gone (the stop then hung until killed).
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Whatever is still open after the grace period (a client that never finishes) is cut.
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    await loops.stop();
    await playground?.stop();
    await closed;
    await services.close();
    services.logger.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Start-up failures (bad config, bad profile, database) end the process with the reason.
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
