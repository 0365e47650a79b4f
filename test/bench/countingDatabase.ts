import type { Database, SqlExecutor } from '../../src/adapters/store/sqlExecutor.ts';

/** The store as the service sees it, counting every SQL statement sent (inside transactions too). */
export function countingDatabase(db: Database): { db: Database; statements: () => number; reset: () => void } {
  let statements = 0;
  const counting = (executor: SqlExecutor): SqlExecutor => ({
    query: (text, values) => {
      statements += 1;
      return executor.query(text, values);
    },
  });
  const wrapped: Database = {
    engine: db.engine,
    query: (text, values) => {
      statements += 1;
      return db.query(text, values);
    },
    transaction: (work) => db.transaction((tx) => work(counting(tx))),
    close: () => db.close(),
  };
  return {
    db: wrapped,
    statements: () => statements,
    reset: () => {
      statements = 0;
    },
  };
}
