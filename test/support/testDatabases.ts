import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { migrate } from '../../src/adapters/store/migrate.ts';
import { openPgliteDatabase } from '../../src/adapters/store/pgliteDatabase.ts';
import { openPostgresDatabase } from '../../src/adapters/store/postgresDatabase.ts';
import type { Database, Engine } from '../../src/adapters/store/sqlExecutor.ts';

/**
 * The engines a store suite runs on. PGlite always; PostgreSQL when DATABASE_URL is set. In CI a
 * missing DATABASE_URL is an error, not a skip: both engines must run there.
 */
export interface TestEngine {
  readonly name: Engine;
  readonly available: boolean;
  readonly skipReason?: string;
  /** A fresh, migrated database of its own (a new PGlite, or a new schema on the server). */
  open(): Promise<Database>;
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl && process.env.CI === 'true') {
  throw new Error('CI=true but DATABASE_URL is unset: the store suite must run on PostgreSQL in CI');
}

/** Opens a migrated PostgreSQL database in a schema of its own; dropped when closed. */
export async function openPostgresSchema(options: { max?: number } = {}): Promise<Database & { schema: string }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = openPostgresDatabase({ connectionString: databaseUrl!, searchPath: schema, max: options.max ?? 10 });
  await migrate(db);
  return {
    ...db,
    schema,
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

let sharedPglite: Promise<Database> | undefined;

/**
 * Opening PGlite costs about a second, so a test file shares one instance and each test gets a
 * schema of its own inside it: the same isolation as a schema per test on PostgreSQL.
 */
export async function openPgliteSchema(): Promise<Database> {
  sharedPglite ??= openPgliteDatabase();
  const db = await sharedPglite;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await db.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
  await migrate(db);
  return {
    ...db,
    close: async () => {
      await db.query(`SET search_path TO public; DROP SCHEMA ${schema} CASCADE`);
    },
  };
}

export const testEngines: TestEngine[] = [
  {
    name: 'pglite',
    available: true,
    open: openPgliteSchema,
  },
  {
    name: 'postgres',
    available: Boolean(databaseUrl),
    ...(databaseUrl
      ? {}
      : { skipReason: 'DATABASE_URL is unset; set it (e.g. postgres://postgres@127.0.0.1:5432/test) to run on PostgreSQL' }),
    open: () => openPostgresSchema(),
  },
];

for (const engine of testEngines) {
  if (!engine.available) console.warn(`\n[store tests] SKIPPING the ${engine.name} engine: ${engine.skipReason}\n`);
}
