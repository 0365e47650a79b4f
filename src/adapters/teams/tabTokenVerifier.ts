import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';

/** Entra ID's signing keys for every tenant (v2.0 endpoint). */
export const ENTRA_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const CLOCK_TOLERANCE_SECONDS = 300;

export interface TabIdentity {
  readonly oid: string;
  readonly tenantId: string;
  readonly name: string;
}

export class TabAuthError extends Error {
  override name = 'TabAuthError';
  constructor(readonly status: 401 | 403, message: string) {
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
}

/**
 * Checks a Teams SSO token (`authentication.getAuthToken`) before the dashboard API answers: RS256,
 * signed by a key Entra publishes, audience the tab's client id (v2) or its `api://` resource (v1),
 * issuer Entra for the token's own tenant, not expired (five minutes' skew), and the tenant one the
 * partnership allows. A bad token is 401; a good token from another organisation is 403.
 */
export function createTabTokenVerifier(options: TabTokenVerifierOptions): (token: string) => Promise<TabIdentity> {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl ?? ENTRA_JWKS_URL));
  const audiences = [options.clientId, ...(options.publicUrl ? [`api://${new URL(options.publicUrl).host}/${options.clientId}`] : [])];
  return async (token) => {
    let payload;
    try {
      // Entra names its signing key in every token; one without (which jose would match to a lone key) is not Entra's.
      if (!decodeProtectedHeader(token).kid) throw new Error('no kid');
      ({ payload } = await jwtVerify(token, keys, { algorithms: ['RS256'], audience: audiences, clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp', 'iss', 'tid', 'oid'] }));
    } catch (error) {
      const why = error instanceof errors.JWTExpired ? 'the sign-in has expired' : 'the sign-in token is not valid for this app';
      throw new TabAuthError(401, why);
    }
    const tid = String(payload.tid);
    if (payload.iss !== `https://login.microsoftonline.com/${tid}/v2.0` && payload.iss !== `https://sts.windows.net/${tid}/`) {
      throw new TabAuthError(401, 'the sign-in token was not issued by Microsoft Entra for its tenant');
    }
    if (options.allowedTenantIds.length > 0 && !options.allowedTenantIds.includes(tid)) {
      throw new TabAuthError(403, "this dashboard is only for people in the partnership's own organisation");
    }
    return { oid: String(payload.oid), tenantId: tid, name: typeof payload.name === 'string' ? payload.name : '' };
  };
}
