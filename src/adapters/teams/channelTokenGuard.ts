import type { RequestHandler } from 'express';
import { decodeProtectedHeader, errors, importJWK, type JWK, type JWTPayload, jwtVerify } from 'jose';

/** Bot Framework's token service for channels (Teams) in the public cloud. */
export const BOT_FRAMEWORK_OPENID_METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
const ISSUER = 'https://api.botframework.com';
const CLOCK_TOLERANCE_SECONDS = 300;
/**
 * Bot Framework issues channel tokens for about an hour. A day bounds them with room for any change
 * Microsoft makes to that lifetime, while a token minted with a far-off exp (or none), as only a
 * holder of a signing key could, stops being usable the next day rather than never.
 */
const MAX_LIFETIME_SECONDS = 24 * 3600;
/**
 * Keys are fetched again at least hourly, so a key Bot Framework withdraws (a suspected compromise)
 * stops being trusted within the hour; botbuilder's own cache keeps one for 24 h.
 */
const KEYS_MAX_AGE_MS = 3600_000;
/**
 * An unknown kid, or a signature that fails with a cached key (a new key published under a known
 * kid), refetches the keys, at most this often, so forged tokens cannot hammer the key service.
 */
const REFETCH_AFTER_MS = 5 * 60_000;
/** The key service answers in well under a second; a request waits at most this for it. */
const KEY_FETCH_TIMEOUT_MS = 5_000;

type EndorsedJwk = JWK & { kid?: string; endorsements?: string[] };

export interface ChannelTokenGuardOptions {
  readonly appId: string;
  readonly openIdMetadataUrl?: string;
  /** Channels the bot serves: Teams only. */
  readonly channels?: readonly string[];
  /** The clock for token times and key ages alike. */
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
  /** How long each of the two key fetches (metadata, then keys) may take. */
  readonly keyFetchTimeoutMs?: number;
}

/** The keys could not be fetched: the token can be neither accepted nor refused. */
class KeyServiceUnavailable extends Error {
  override name = 'KeyServiceUnavailable';
}

/**
 * Checks a channel's bearer token before botbuilder sees the activity. botbuilder 4.23 on its own
 * accepts a signing key with no endorsements and Entra-issued tokens through its emulator path, and
 * answers some forged tokens with a 500 that echoes the error; this guard answers every one with 401.
 * Accepted: RS256 only; a kid that names a published key endorsed for the activity's channel; issuer
 * api.botframework.com; audience the bot's app id; `serviceurl` equal to the activity's serviceUrl;
 * an exp, no more than a day after iat (or nbf, or now); iat, nbf and exp within five minutes' skew.
 * When the keys cannot be fetched the answer is 503, never an unchecked token let through.
 */
export function channelTokenGuard(options: ChannelTokenGuardOptions): RequestHandler {
  const get = options.fetch ?? fetch;
  const channels = options.channels ?? ['msteams'];
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.keyFetchTimeoutMs ?? KEY_FETCH_TIMEOUT_MS;
  let keys: EndorsedJwk[] = [];
  /** When the keys in hand were fetched (-Infinity: never). */
  let fetchedAt = Number.NEGATIVE_INFINITY;
  /** When a fetch last started, whether or not it succeeded: the rate limit counts failed fetches too. */
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  async function getJson(url: string): Promise<unknown> {
    let response: Response;
    try {
      response = await get(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new KeyServiceUnavailable('key service unreachable or too slow', { cause: error });
    }
    // A 5xx carrying a JSON error must not read as "no keys" and refuse every good token.
    if (!response.ok) throw new KeyServiceUnavailable(`key service answered ${response.status}`);
    try {
      return await response.json();
    } catch (error) {
      throw new KeyServiceUnavailable('key service answered something other than JSON', { cause: error });
    }
  }

  async function loadKeys(): Promise<void> {
    attemptedAt = now().getTime();
    const metadata = (await getJson(options.openIdMetadataUrl ?? BOT_FRAMEWORK_OPENID_METADATA)) as { jwks_uri?: unknown };
    if (typeof metadata.jwks_uri !== 'string') throw new KeyServiceUnavailable('OpenID metadata has no jwks_uri');
    const jwks = (await getJson(metadata.jwks_uri)) as { keys?: unknown };
    if (!Array.isArray(jwks.keys)) throw new KeyServiceUnavailable('the key set has no keys');
    keys = jwks.keys as EndorsedJwk[];
    fetchedAt = now().getTime();
  }

  /** Requests that need the keys at the same moment wait for one fetch. */
  function refresh(): Promise<void> {
    inFlight ??= loadKeys().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  const mayRefetch = () => now().getTime() - attemptedAt > REFETCH_AFTER_MS;

  async function keyFor(kid: string): Promise<EndorsedJwk | undefined> {
    const stale = now().getTime() - fetchedAt > KEYS_MAX_AGE_MS;
    // An unknown kid waits for a fetch already under way (it may bring the kid) or starts one if allowed.
    if (stale || (!keys.some((k) => k.kid === kid) && (inFlight || mayRefetch()))) await refresh();
    return keys.find((k) => k.kid === kid);
  }

  /** A reason to refuse the claims jwtVerify leaves alone, or undefined. */
  function lifetimeProblem(payload: JWTPayload): string | undefined {
    const at = Math.floor(now().getTime() / 1000);
    const { exp, iat, nbf } = payload;
    if (typeof exp !== 'number') return 'no expiry';
    if (iat !== undefined && iat > at + CLOCK_TOLERANCE_SECONDS) return 'issued in the future';
    // The issuer's own stamps measure the lifetime it gave the token; with neither, what is left of it.
    const from = iat ?? nbf ?? at;
    if (exp - from > MAX_LIFETIME_SECONDS || exp - at > MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) return 'lifetime too long';
    return undefined;
  }

  const BAD_SIGNATURE = 'signature not valid';

  async function verifyWith(token: string, jwk: EndorsedJwk, channelId: string, serviceUrl: unknown): Promise<string | undefined> {
    if (!jwk.endorsements?.includes(channelId)) return 'key not endorsed for this channel';
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await importJWK({ ...jwk, alg: 'RS256' }, 'RS256'), {
        issuer: ISSUER,
        audience: options.appId,
        algorithms: ['RS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
        currentDate: now(),
      }));
    } catch (error) {
      return error instanceof errors.JWSSignatureVerificationFailed ? BAD_SIGNATURE : 'claims not valid';
    }
    if (payload.serviceurl !== serviceUrl) return 'serviceurl does not match the activity';
    return lifetimeProblem(payload);
  }

  async function verify(
    authorization: string | undefined,
    activity: { channelId?: unknown; serviceUrl?: unknown },
  ): Promise<string | undefined> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) return 'no bearer token';
    const { channelId, serviceUrl } = activity;
    if (typeof channelId !== 'string' || !channels.includes(channelId)) return 'channel not served';
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return 'not a JWT';
    }
    const { alg, kid } = header;
    if (alg !== 'RS256' || !kid) return 'algorithm or key id not accepted';
    const jwk = await keyFor(kid);
    if (!jwk) return 'unknown signing key';
    const problem = await verifyWith(token, jwk, channelId, serviceUrl);
    // Bot Framework may have published a new key under this kid since the keys were fetched: fetch
    // them again (within the rate limit) and try once more.
    if (problem !== BAD_SIGNATURE || !(inFlight || mayRefetch())) return problem;
    await refresh();
    const fresh = keys.find((k) => k.kid === kid);
    return fresh ? verifyWith(token, fresh, channelId, serviceUrl) : 'unknown signing key';
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
