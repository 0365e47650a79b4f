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
  /** `entra`: sign in to PostgreSQL with a token for the managed identity (Azure); `password`: as in DATABASE_URL. */
  DATABASE_AUTH: z.enum(['password', 'entra']).default('password'),
  /** The user-assigned managed identity's client id, for its database tokens. */
  MANAGED_IDENTITY_CLIENT_ID: z.string().optional(),
  /** Where the embedded store keeps its files. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** The partnership profile in use: the id of a shipped profile (hsscp, nel, stockport, darlington, southtees). */
  PROFILE: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .default('hsscp'),
  /** A partnership's own profile file, instead of a shipped one. */
  PROFILE_FILE: z.string().min(1).optional(),
  /** gov.uk bank-holidays.json, to add holidays announced after this release. */
  BANK_HOLIDAYS_FILE: z.string().min(1).optional(),
  /** The bot's Entra app (or managed identity client) id. Empty: authentication off, for the local demo only. */
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppType: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).default('SingleTenant'),
  MicrosoftAppTenantId: z.string().optional(),
  /** A client secret; not with UserAssignedMSI. In Azure it comes from Key Vault. */
  MicrosoftAppPassword: z.string().optional(),
  /** Where the channel's token signing keys are published (Bot Framework's, unless in a sovereign cloud). */
  BOT_OPENID_METADATA_URL: z.string().url().default('https://login.botframework.com/v1/.well-known/openidconfiguration'),
  /** Comma-separated tenant ids whose people may act through the bot. Default: MicrosoftAppTenantId. */
  ALLOWED_TENANT_IDS: z.string().optional(),
  /** Comma-separated Entra object ids who may administer before a business manager is set. */
  ADMIN_USER_IDS: z.string().optional(),
  /** Role assignments (DSPs, notifiers, business manager, Engine Room) by Entra object id. */
  PEOPLE_FILE: z.string().min(1).optional(),
  /** Local demo only: the Microsoft 365 Agents Playground's port, or "off". */
  PLAYGROUND: z
    .string()
    .regex(/^(off|\d{2,5})$/, 'must be a port number or off')
    .default('56150'),
  /** The daily digest's time, London time, on working days. */
  DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
    .default('08:30'),
  /** How often the deadline watch looks for due clocks. */
  WATCH_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** How long an instance holds a claimed outbox message before another may take it over. */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** How the service signs in to Microsoft Graph. Unset: the local calendar (embedded demo). */
  GRAPH_AUTH: z.enum(['managed_identity', 'client_secret', 'certificate']).optional(),
  GRAPH_TENANT_ID: z.string().optional(),
  GRAPH_CLIENT_ID: z.string().optional(),
  /** From Key Vault in Azure; prefer a certificate or the managed identity. */
  GRAPH_CLIENT_SECRET: z.string().optional(),
  GRAPH_CERTIFICATE_PATH: z.string().optional(),
  /** The service's public https address (e.g. its App Service URL): Graph posts change notifications there. Unset: answers are polled. */
  PUBLIC_URL: z.string().url().optional(),
  /** The Teams app's id in its manifest (used by `npm run package:teams`). */
  TEAMS_APP_ID: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID')
    .optional(),
  /** The Entra app the tab's SSO tokens are issued for; default MicrosoftAppId. */
  TAB_SSO_CLIENT_ID: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID')
    .optional(),
  /** Where Entra publishes the keys that sign Teams SSO tokens (a local JWKS in tests). */
  TAB_SSO_JWKS_URL: z.string().url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  /** The partnership mailbox: organizer of every meeting, sender of every email. */
  PARTNERSHIP_MAILBOX: z.string().email().default('partnership@demo-partnership.example'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<z.infer<typeof schema>>;

/** Every setting the service reads (the infra test checks the Bicep sets each one). */
export const CONFIG_SETTINGS = Object.keys(schema.shape) as (keyof Config)[];

export function listSetting(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Tenants whose people may act: ALLOWED_TENANT_IDS, else the bot's own tenant, else (demo) any. */
export function allowedTenants(config: Config): string[] {
  const listed = listSetting(config.ALLOWED_TENANT_IDS);
  if (listed.length > 0) return listed;
  return config.MicrosoftAppTenantId ? [config.MicrosoftAppTenantId] : [];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return Object.freeze(parsed.data);
}
