import { once } from 'node:events';
import { composeServices } from './composition.ts';
import { readConfig } from './config.ts';
import { createHttpApp } from './http/createHttpApp.ts';

/** Starts the service: config, store and migrations, then HTTP. Stops cleanly on SIGTERM/SIGINT. */
async function main() {
  const config = readConfig();
  const services = await composeServices(config);
  const server = createHttpApp({ db: services.ctx.db }).listen(config.PORT);
  await once(server, 'listening');
  services.logger.info({ port: config.PORT, engine: services.ctx.db.engine, profile: services.ctx.profile.id }, 'listening');

  const stop = async (signal: string) => {
    services.logger.info({ signal }, 'stopping');
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
