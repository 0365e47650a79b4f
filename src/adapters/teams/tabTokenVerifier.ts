import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** Entra ID's signing keys for every tenant (v2.0 endpoint). */
export const ENTRA_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const CLOCK_TOLERANCE_SECONDS = 300;
/**
 * Entra gives access tokens 60 to 90 minutes by default; clients capable of continuous access
 * evaluation get up to 28 hours, and a token lifetime policy at most a day. Nothing Entra issues
 * lives longer than 28 hours, so a longer-lived token was not made by Entra's policies.
 */
const MAX_LIFETIME_SECONDS = 28 * 3600;
/** Entra's key endpoint answers in well under a second; a sign-in waits at most this for it. */
const JWKS_TIMEOUT_MS = 5_000;
/** The scope the tab's Entra app exposes (README: "add the scope `access_as_user`"), as Teams asks for it. */
export const TAB_SSO_SCOPE = 'access_as_user';

/**
 * The client applications that ask Entra for a tab's SSO token when the tab runs in Teams, Outlook
 * or the Microsoft 365 app: the token's `azp` (v2) or `appid` (v1). They are the clients Microsoft
 * says to pre-authorise for the tab's scope, in "Configure your tab app in Microsoft Entra ID"
 * (https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-register-aad,
 * "To configure authorized client application") and "Extend a Teams personal tab across Microsoft
 * 365" (https://learn.microsoft.com/microsoftteams/platform/m365-apps/extend-m365-teams-personal-tab).
 * Any other client holding a token for this app's audience is not the tab.
 */
export const TAB_SSO_CLIENT_IDS: readonly string[] = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams web
  '4765445b-32c6-49b0-83e6-1d93765276ca', // Microsoft 365 web
  '0ec893e0-5785-4de6-99da-4ed124e5296c', // Microsoft 365 desktop
  'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Microsoft 365 mobile, and Outlook desktop (Microsoft lists one id for both)
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3', // Outlook web
  '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook mobile
  '00000002-0000-0ff1-ce00-000000000000', // Outlook Web Access (Exchange Online), in the Microsoft 365 extension guide's earlier list
];

export interface TabIdentity {
  readonly oid: string;
  readonly tenantId: string;
  readonly name: string;
}

export class TabAuthError extends Error {
  override name = 'TabAuthError';
  /** 401: sign in again; 403: this person or organisation is not served; 503: the sign-in could not be checked, try again. */
  constructor(
    readonly status: 401 | 403 | 503,
    message: string,
  ) {
    super(message);
  }
}

export interface TabTokenVerifierOptions {
  /** The Entra app the tab's SSO tokens are issued for. */
  readonly clientId: string;
  /** The service's public address: the `api://<host>/<clientId>` audience of v1 tokens. */
  readonly publicUrl?: string;
  readonly jwksUrl?: string;
  /** Tenants whose people may use the dashboard; empty: the token's own tenant only has to be valid. */
  readonly allowedTenantIds: readonly string[];
  /** The delegated scope a token must carry in `scp`; default `access_as_user`. */
  readonly requiredScope?: string;
  /** How long one fetch of Entra's keys may take. */
  readonly jwksTimeoutMs?: number;
}

/** The keys could not be fetched: the token can be neither accepted nor refused. */
class KeysUnavailable extends Error {
  override name = 'KeysUnavailable';
}

/**
 * Errors that say something about the token, not about the key endpoint: no published key for its
 * kid (or several), or an alg a key set cannot serve. Anything else from the key lookup (a timeout,
 * a refused connection, a 5xx, a malformed key set) means the keys could not be had.
 */
const isTokenProblem = (error: unknown) =>
  error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported;

/** Why the claims are not those of a person's sign-in to this tab through Teams, or undefined. */
function delegatedProblem(payload: JWTPayload, v2: boolean, requiredScope: string, nowSeconds: number): string | undefined {
  // App-only tokens carry roles and no scp; idtyp says so outright when the app asks for it.
  if (payload.idtyp === 'app') return "the sign-in token is an app-only token, not a person's";
  if (typeof payload.scp !== 'string' || !payload.scp.split(' ').includes(requiredScope))
    return "the sign-in token does not grant this app's scope";
  // v2 tokens name the client that asked for them in azp, v1 tokens in appid.
  const client = v2 ? payload.azp : payload.appid;
  if (typeof client !== 'string' || !TAB_SSO_CLIENT_IDS.includes(client))
    return 'the sign-in token was not issued to Teams or Microsoft 365';
  const { iat, exp } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number') return 'the sign-in token is not valid for this app';
  if (iat > nowSeconds + CLOCK_TOLERANCE_SECONDS || exp - iat > MAX_LIFETIME_SECONDS) return 'the sign-in token is not valid for this app';
  return undefined;
}

/**
 * Checks a Teams SSO token (`authentication.getAuthToken`) before the dashboard API answers: RS256,
 * signed by a key Entra publishes, audience the tab's client id (v2) or its `api://` resource (v1),
 * issuer Entra for the token's own tenant, not expired (five minutes' skew), a person's delegated
 * token (`scp` holds the tab's scope) issued to Teams, Outlook or the Microsoft 365 app, no longer
 * lived than Entra issues, and the tenant one the partnership allows. A bad token is 401; a good
 * token from another organisation is 403; a token that cannot be checked because Entra's keys
 * cannot be fetched is 503, so a person with a good sign-in is not told to sign in again.
 */
export function createTabTokenVerifier(options: TabTokenVerifierOptions): (token: string) => Promise<TabIdentity> {
  const remoteKeys = createRemoteJWKSet(new URL(options.jwksUrl ?? ENTRA_JWKS_URL), {
    timeoutDuration: options.jwksTimeoutMs ?? JWKS_TIMEOUT_MS,
  });
  // The key lookup is where a fetch fails, so it is where a fetch failure is told from a bad token.
  const keys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remoteKeys(header, token);
    } catch (error) {
      if (isTokenProblem(error)) throw error;
      throw new KeysUnavailable('the signing keys could not be fetched', { cause: error });
    }
  };
  const audiences = [options.clientId, ...(options.publicUrl ? [`api://${new URL(options.publicUrl).host}/${options.clientId}`] : [])];
  const requiredScope = options.requiredScope ?? TAB_SSO_SCOPE;
  return async (token) => {
    let payload;
    try {
      // Entra names its signing key in every token; one without (which jose would match to a lone key) is not Entra's.
      if (!decodeProtectedHeader(token).kid) throw new Error('no kid');
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        audience: audiences,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'iss', 'tid', 'oid'],
      }));
    } catch (error) {
      if (error instanceof KeysUnavailable) throw new TabAuthError(503, 'cannot check the sign-in right now: try again in a minute');
      const why = error instanceof errors.JWTExpired ? 'the sign-in has expired' : 'the sign-in token is not valid for this app';
      throw new TabAuthError(401, why);
    }
    const tid = String(payload.tid);
    const v2 = payload.iss === `https://login.microsoftonline.com/${tid}/v2.0`;
    if (!v2 && payload.iss !== `https://sts.windows.net/${tid}/`) {
      throw new TabAuthError(401, 'the sign-in token was not issued by Microsoft Entra for its tenant');
    }
    const problem = delegatedProblem(payload, v2, requiredScope, Math.floor(Date.now() / 1000));
    if (problem) throw new TabAuthError(401, problem);
    if (options.allowedTenantIds.length > 0 && !options.allowedTenantIds.includes(tid)) {
      throw new TabAuthError(403, "this dashboard is only for people in the partnership's own organisation");
    }
    return { oid: String(payload.oid), tenantId: tid, name: typeof payload.name === 'string' ? payload.name : '' };
  };
}
