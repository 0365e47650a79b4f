// One watcher instance for the crash test: the real service composition on PostgreSQL, running the
// deadline watch and the outbox sender in a loop until it is killed. Its clock runs at real speed
// from an offset the test gives, so leases expire as they would in production.
import { setTimeout as sleep } from 'node:timers/promises';

import { composeServices } from '../../../src/composition.ts';
import { readConfig } from '../../../src/config.ts';

const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
const services = await composeServices(
  readConfig({ DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: 'silent', OUTBOX_LEASE_SECONDS: '2', DIGEST_TIME: '23:59' }),
  {
    now: () => new Date(Date.now() + offset),
  },
);
process.stdout.write(`ready ${services.instanceId}\n`);
for (;;) {
  await services.watch();
  await services.send();
  await sleep(10);
}
