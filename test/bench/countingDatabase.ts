import type { Database, SqlExecutor } from '../../src/adapters/store/sqlExecutor.ts';

/**
 * The store as the service sees it, counting every SQL statement sent (inside transactions too);
 * `onStatement`, if given, hears each statement's text (a test that pins the work per request lists
 * them when the count is wrong).
 */
export function countingDatabase(
  db: Database,
  onStatement?: (text: string) => void,
): { db: Database; statements: () => number; reset: () => void } {
  let statements = 0;
  const count = (text: string) => {
    statements += 1;
    onStatement?.(text.replace(/\s+/g, ' ').trim());
  };
  const counting = (executor: SqlExecutor): SqlExecutor => ({
    query: (text, values) => {
      count(text);
      return executor.query(text, values);
    },
  });
  const wrapped: Database = {
    engine: db.engine,
    query: (text, values) => {
      count(text);
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
