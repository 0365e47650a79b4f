import { randomBytes } from 'node:crypto';

import { jwtVerify, SignJWT } from 'jose';

import { TabAuthError, type TabIdentity } from './tabTokenVerifier.ts';

const ISSUER = 'local-demo';

/**
 * Sign-in for the local embedded mode only (no Entra app configured): a newcomer chooses one of the
 * configured people and gets a short-lived token signed with a key that lives in this process. The
 * composition never creates it when Teams SSO is configured.
 */
export function createLocalTabSessions(now: () => Date = () => new Date()) {
  const key = randomBytes(32);
  return {
    async issue(oid: string, name: string): Promise<string> {
      const at = Math.floor(now().getTime() / 1000);
      return new SignJWT({ name })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(oid)
        .setIssuer(ISSUER)
        .setIssuedAt(at)
        .setExpirationTime(at + 8 * 3600)
        .sign(key);
    },
    async verify(token: string): Promise<TabIdentity> {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, currentDate: now() });
        return { oid: String(payload.sub), tenantId: 'local', name: typeof payload.name === 'string' ? payload.name : '' };
      } catch {
        throw new TabAuthError(401, 'the local sign-in has expired or is not valid');
      }
    },
  };
}

export type LocalTabSessions = ReturnType<typeof createLocalTabSessions>;
