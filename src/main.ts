import { once } from 'node:events';
import { composeServices } from './composition.ts';
import { readConfig } from './config.ts';
import { startPlayground } from './adapters/playground/startPlayground.ts';

/**
 * Starts the service: config, store and migrations, then HTTP. With no bot identity configured (the
 * local demo) it also starts the Microsoft 365 Agents Playground pointed at the bot. Stops cleanly on
 * SIGTERM/SIGINT, finishing work already started.
 */
async function main() {
  const config = readConfig();
  const services = await composeServices(config);
  const server = services.http.listen(config.PORT);
  await once(server, 'listening');
  services.logger.info({ port: config.PORT, engine: services.ctx.db.engine, profile: services.ctx.profile.id, auth: config.MicrosoftAppId ? 'on' : 'off (local demo)' }, 'listening');

  const playground = !config.MicrosoftAppId && config.PLAYGROUND !== 'off'
    ? await startPlayground({ port: Number(config.PLAYGROUND), botEndpoint: `http://127.0.0.1:${config.PORT}/api/messages`, logger: services.logger })
    : undefined;

  const stop = async (signal: string) => {
    services.logger.info({ signal }, 'stopping');
    playground?.stop();
    server.close();
    await once(server, 'close');
    await services.close();
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
