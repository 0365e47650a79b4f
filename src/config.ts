import { z } from 'zod';

/**
 * The only reader of process.env. Parsed once into a frozen, typed object; a bad setting stops the
 * service at start-up with a message that names it. Every setting has an embedded default except
 * those that only make sense in Azure.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3978),
  /** PostgreSQL connection string. Unset: the embedded PGlite store in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Where the embedded store keeps its files. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** The partnership profile in use: the id of a shipped profile (hsscp, nel, stockport, darlington). */
  PROFILE: z.string().regex(/^[a-z][a-z0-9_]*$/).default('hsscp'),
  /** A partnership's own profile file, instead of a shipped one. */
  PROFILE_FILE: z.string().min(1).optional(),
  /** gov.uk bank-holidays.json, to add holidays announced after this release. */
  BANK_HOLIDAYS_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<z.infer<typeof schema>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== '')),
  );
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return Object.freeze(parsed.data);
}
