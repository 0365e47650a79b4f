import { readdirSync, readFileSync } from 'node:fs';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const folder = new URL('./', import.meta.url);

/** The numbered SQL files beside this module, in order: `NNN_name.sql`. */
export function loadMigrations(): Migration[] {
  return readdirSync(folder)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: readFileSync(new URL(file, folder), 'utf8'),
    }));
}
