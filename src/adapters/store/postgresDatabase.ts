import pg from 'pg';

import type { Database } from './sqlExecutor.ts';

// Return timestamps as Date (the default) and bigint counts as numbers: our sequences stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// A `date` column is a calendar date, not an instant: keep it as the YYYY-MM-DD string.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface PostgresOptions {
  readonly connectionString: string;
  /** Used by tests to give each suite its own schema. */
  readonly searchPath?: string;
  readonly max?: number;
  /** A fresh password per connection: an Entra access token for Azure Database for PostgreSQL. */
  readonly password?: () => Promise<string>;
}

export function openPostgresDatabase(options: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.password ? { password: options.password } : {}),
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return fromPgPool(pool);
}

export function fromPgPool(pool: pg.Pool): Database {
  return {
    engine: 'postgres',
    query: async (text, values) => pool.query(text, values ? [...values] : []) as never,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({ query: async (text, values) => client.query(text, values ? [...values] : []) as never });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
