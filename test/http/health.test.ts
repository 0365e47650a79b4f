import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { createHttpApp } from '../../src/http/createHttpApp.ts';
import { openPgliteSchema } from '../support/testDatabases.ts';

describe('health endpoints', () => {
  let db: Database;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    db = await openPgliteSchema();
    server = createHttpApp({ db }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await db.close();
  });

  it('/healthz says the process is up', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz says ready when the schema is current', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(await res.json()).toEqual({ status: 'ready', engine: 'pglite' });
  });

  it('/readyz answers 503 when the schema is behind', async () => {
    await db.query(`INSERT INTO schema_migrations (version, name) VALUES (998, 'ahead')`);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    await db.query('DELETE FROM schema_migrations WHERE version = 998');
  });

  it('answers an unknown path with a short 404', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});
