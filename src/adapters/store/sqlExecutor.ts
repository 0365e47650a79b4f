/**
 * The one port to the database (pg-boss's `executeSql`): SQL text and values in, rows out. Both
 * engines speak PostgreSQL, so every repository is written once.
 */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

export type Engine = 'pglite' | 'postgres';

export interface Database extends SqlExecutor {
  readonly engine: Engine;
  /** Runs `work` in one transaction: all of it is written, or none of it. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
