import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import type { RequestHandler } from 'express';

/** Bot Framework's token service for channels (Teams) in the public cloud. */
export const BOT_FRAMEWORK_OPENID_METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
const ISSUER = 'https://api.botframework.com';
const CLOCK_TOLERANCE_SECONDS = 300;
const KEYS_MAX_AGE_MS = 24 * 3600_000;
/** An unknown kid refetches the keys, at most this often, so forged kids cannot hammer the key service. */
const REFETCH_AFTER_MS = 5 * 60_000;

type EndorsedJwk = JWK & { kid?: string; endorsements?: string[] };

export interface ChannelTokenGuardOptions {
  readonly appId: string;
  readonly openIdMetadataUrl?: string;
  /** Channels the bot serves: Teams only. */
  readonly channels?: readonly string[];
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
}

/**
 * Checks a channel's bearer token before botbuilder sees the activity. botbuilder 4.23 on its own
 * accepts a signing key with no endorsements and Entra-issued tokens through its emulator path, and
 * answers some forged tokens with a 500 that echoes the error; this guard answers every one with 401.
 * Accepted: RS256 only; a kid that names a published key endorsed for the activity's channel; issuer
 * api.botframework.com; audience the bot's app id; `serviceurl` equal to the activity's serviceUrl;
 * exp and nbf within five minutes' skew.
 */
export function channelTokenGuard(options: ChannelTokenGuardOptions): RequestHandler {
  const get = options.fetch ?? fetch;
  const channels = options.channels ?? ['msteams'];
  let keys: EndorsedJwk[] = [];
  let fetchedAt = 0;

  async function loadKeys(): Promise<void> {
    const metadata = (await (await get(options.openIdMetadataUrl ?? BOT_FRAMEWORK_OPENID_METADATA)).json()) as { jwks_uri?: string };
    if (!metadata.jwks_uri) throw new Error('OpenID metadata has no jwks_uri');
    const jwks = (await (await get(metadata.jwks_uri)).json()) as { keys?: EndorsedJwk[] };
    keys = jwks.keys ?? [];
    fetchedAt = Date.now();
  }

  async function keyFor(kid: string): Promise<EndorsedJwk | undefined> {
    const age = Date.now() - fetchedAt;
    if (age > KEYS_MAX_AGE_MS || (!keys.some((k) => k.kid === kid) && age > REFETCH_AFTER_MS)) await loadKeys();
    return keys.find((k) => k.kid === kid);
  }

  async function verify(authorization: string | undefined, activity: { channelId?: unknown; serviceUrl?: unknown }): Promise<string | undefined> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) return 'no bearer token';
    if (typeof activity.channelId !== 'string' || !channels.includes(activity.channelId)) return 'channel not served';
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return 'not a JWT';
    }
    if (header.alg !== 'RS256' || !header.kid) return 'algorithm or key id not accepted';
    const jwk = await keyFor(header.kid);
    if (!jwk) return 'unknown signing key';
    if (!jwk.endorsements?.includes(activity.channelId)) return 'key not endorsed for this channel';
    try {
      const { payload } = await jwtVerify(token, await importJWK({ ...jwk, alg: 'RS256' }, 'RS256'), {
        issuer: ISSUER, audience: options.appId, algorithms: ['RS256'], clockTolerance: CLOCK_TOLERANCE_SECONDS,
        ...(options.now ? { currentDate: options.now() } : {}),
      });
      if (payload.serviceurl !== activity.serviceUrl) return 'serviceurl does not match the activity';
    } catch {
      return 'signature or claims not valid';
    }
    return undefined;
  }

  return async (req, res, next) => {
    let problem: string | undefined;
    try {
      problem = await verify(req.headers.authorization, (req.body ?? {}) as Record<string, unknown>);
    } catch {
      // The key service could not be reached: refuse rather than let an unchecked token through.
      res.status(503).json({ error: 'cannot check the token right now' });
      return;
    }
    if (problem) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    next();
  };
}
