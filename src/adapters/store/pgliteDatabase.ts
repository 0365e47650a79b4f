import { PGlite, type Transaction, types } from '@electric-sql/pglite';

import type { Database, SqlExecutor } from './sqlExecutor.ts';

/**
 * Same value types as the pg adapter gives: a `date` stays a YYYY-MM-DD string (a calendar date is
 * not an instant), and bigint counters are numbers.
 */
const parsers = {
  [types.DATE]: (value: string) => value,
  [types.INT8]: (value: string) => Number(value),
};

/**
 * The embedded engine, in a data directory (or in memory without one). PGlite has one connection and
 * runs one transaction at a time, so row locks (FOR UPDATE, SKIP LOCKED) are accepted but never
 * contended: that queue is the serialisation the PostgreSQL adapter gets from its locks.
 */
export async function openPgliteDatabase(dataDir?: string): Promise<Database> {
  return fromPglite(await PGlite.create(dataDir ? { dataDir, parsers } : { parsers }));
}

function executorOf(conn: PGlite | Transaction): SqlExecutor {
  return {
    async query(text, values) {
      if (values && values.length > 0) return conn.query(text, [...values]) as never;
      // Parameterless text may hold several statements (a migration); exec runs them all.
      const results = await conn.exec(text);
      return { rows: results.at(-1)?.rows ?? [] } as never;
    },
  };
}

export function fromPglite(db: PGlite): Database {
  return {
    engine: 'pglite',
    ...executorOf(db),
    transaction: (work) => db.transaction((tx) => work(executorOf(tx))),
    close: () => db.close(),
  };
}
