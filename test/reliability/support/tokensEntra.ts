import { createPublicKey, type JsonWebKey as NodeJsonWebKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/** The kid the stand-in publishes (as Entra's discovery/v2.0/keys does). */
export const ENTRA_KID = 'entra-test-key';
/** Microsoft Teams desktop and mobile: the client that asks Entra for a tab's SSO token, the token's `azp`. */
export const TEAMS_DESKTOP_CLIENT_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';

/** How the key endpoint answers: as Entra does, with a 503, or not at all (the request hangs). */
export type KeyEndpointMode = 'up' | 'error' | 'hang';

export interface EntraStandIn {
  /** The JWKS address, for TAB_SSO_JWKS_URL. */
  readonly url: string;
  /** Claims of a good Teams SSO token for `oid` (v2: issuer Entra for its tenant, audience the tab's app, scope access_as_user, asked for by Teams desktop). */
  claims(oid: string, overrides?: Record<string, unknown>): JWTPayload;
  /** Signs `claims` (an `undefined` claim is left out); RS256 with the published key unless told otherwise. */
  /** `kid: ''` leaves the key id out of the header. */
  sign(claims: JWTPayload, options?: { key?: CryptoKey | Uint8Array; kid?: string; alg?: string }): Promise<string>;
  /** The published public key as PEM (SPKI): what an algorithm-confusion attacker would use as an HMAC secret. */
  readonly publicKeyPem: string;
  /** Requests the key endpoint has received. */
  readonly requests: () => number;
  /** From now on the key endpoint answers as `mode` says. */
  setMode(mode: KeyEndpointMode): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for Entra ID's signing keys (login.microsoftonline.com/common/discovery/v2.0/keys),
 * to sign Teams SSO tokens (`authentication.getAuthToken`) as the tab receives them, good and forged.
 */
export async function startEntraStandIn({ clientId, tenantId }: { clientId: string; tenantId: string }): Promise<EntraStandIn> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: ENTRA_KID, alg: 'RS256', use: 'sig' };
  let mode: KeyEndpointMode = 'up';
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    if (mode === 'hang') return;
    res.setHeader('content-type', 'application/json');
    if (mode === 'error') res.statusCode = 503;
    res.end(JSON.stringify(mode === 'error' ? { error: 'temporarily unavailable' } : { keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  const publicKeyPem = createPublicKey({ key: jwk as NodeJsonWebKey, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return {
    url,
    publicKeyPem,
    claims(oid, overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        aud: clientId,
        iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
        iat: now - 60,
        nbf: now - 60,
        exp: now + 3600,
        tid: tenantId,
        oid,
        name: 'Test Person',
        ver: '2.0',
        scp: 'access_as_user',
        azp: TEAMS_DESKTOP_CLIENT_ID,
        azpacr: '0',
        ...overrides,
      };
      for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
      return claims as JWTPayload;
    },
    async sign(claims, options = {}) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? 'RS256', typ: 'JWT', ...(options.kid === '' ? {} : { kid: options.kid ?? ENTRA_KID }) })
        .sign(options.key ?? privateKey);
    },
    requests: () => requests,
    setMode: (next) => {
      mode = next;
    },
    close: () =>
      new Promise((resolve) => {
        // A hanging request would otherwise hold close() open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
