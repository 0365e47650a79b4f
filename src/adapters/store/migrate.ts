import { loadMigrations, type Migration } from './migrations/index.ts';
import type { Database } from './sqlExecutor.ts';

export class SchemaVersionError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`database schema is at version ${found}, newer than this release knows (${known}): upgrade the service before starting it`);
    this.name = 'SchemaVersionError';
  }
}

// Any constant: every instance of the service takes the same advisory lock to migrate.
const MIGRATION_LOCK = 7_160_411;

/**
 * Brings the schema up to date at start-up, each migration in its own transaction. Instances that
 * start together queue on an advisory lock so that only one of them applies each migration.
 * Refuses to run against a schema newer than this release.
 */
export async function migrate(db: Database, migrations: Migration[] = loadMigrations()): Promise<{ applied: number[]; version: number }> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const applied: number[] = [];
  const known = migrations.at(-1)?.version ?? 0;
  for (const migration of migrations) {
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations WHERE version = $1', [migration.version]);
      if (rows.length > 0) return;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    });
  }
  const version = await schemaVersion(db);
  if (version > known) throw new SchemaVersionError(version, known);
  return { applied, version };
}

export async function schemaVersion(db: Database): Promise<number> {
  const { rows } = await db.query<{ version: number | null }>('SELECT max(version)::int AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}

/** For readiness checks: is the schema exactly what this release expects? */
export async function isSchemaCurrent(db: Database, migrations: Migration[] = loadMigrations()): Promise<boolean> {
  return (await schemaVersion(db)) === (migrations.at(-1)?.version ?? 0);
}
