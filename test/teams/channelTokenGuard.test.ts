import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { channelTokenGuard, type ChannelTokenGuardOptions } from '../../src/adapters/teams/channelTokenGuard.ts';
import {
  CHANNEL_KID,
  type LocalIdentityProvider,
  startLocalIdentityProvider,
  TEST_APP_ID,
} from '../support/botframework/localIdentityProvider.ts';
import { fakeClock } from '../support/fixtures.ts';

/**
 * The channel token guard on its own, with its clock and its HTTP client injected: key refresh,
 * rotation, withdrawal and a hanging or failing key service, without sleeping. The keys come from
 * the local identity provider over real HTTP; the injected fetch only counts, delays or fails calls.
 */

const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const ACTIVITY = { type: 'message', channelId: 'msteams', serviceUrl: SERVICE_URL };
const MINUTE = 60_000;

type Mode = 'up' | 'hang-metadata' | 'hang-keys' | 'error-metadata' | 'error-keys';

/** fetch as the guard sees it: real, but counted, and able to hang or fail on either endpoint. */
function keyService() {
  let mode: Mode = 'up';
  const paths: string[] = [];
  const impl: typeof fetch = async (input, init) => {
    const path = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname;
    paths.push(path);
    const endpoint = path.endsWith('/keys') ? 'keys' : 'metadata';
    if (mode === `hang-${endpoint}`) {
      // Never answers; only the caller's abort signal (its timeout) ends the wait.
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(init.signal?.reason instanceof Error ? init.signal.reason : new Error('aborted')),
        );
      });
    }
    if (mode === `error-${endpoint}`)
      return new Response(JSON.stringify({ error: 'service unavailable' }), {
        status: 503,
        headers: { 'content-type': 'application/json' },
      });
    return fetch(input, init);
  };
  return {
    impl,
    set: (next: Mode) => {
      mode = next;
    },
    keyFetches: () => paths.filter((p) => p.endsWith('/keys')).length,
    metadataFetches: () => paths.filter((p) => !p.endsWith('/keys')).length,
  };
}

/** Runs the middleware as express would: 200 when it hands the request on, else the status it answered. */
async function statusFor(
  guard: ReturnType<typeof channelTokenGuard>,
  token: string | undefined,
): Promise<{ status: number; body: unknown }> {
  let answered: { status: number; body: unknown } = { status: 200, body: undefined };
  let status = 200;
  const res = {
    status(code: number) {
      status = code;
      return this;
    },
    json(body: unknown) {
      answered = { status, body };
      return this;
    },
  };
  const req = { headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, body: { ...ACTIVITY } };
  await guard(req as unknown as ExpressRequest, res as unknown as ExpressResponse, () => undefined);
  return answered;
}

describe('the channel token guard refreshes its keys', () => {
  let identity: LocalIdentityProvider;
  beforeAll(async () => {
    identity = await startLocalIdentityProvider();
  });
  afterAll(async () => identity?.close());

  /** A guard with a fake clock starting now, and a counted key service. */
  const setUp = (options: Partial<ChannelTokenGuardOptions> = {}) => {
    const clock = fakeClock(new Date());
    const keys = keyService();
    const guard = channelTokenGuard({
      appId: TEST_APP_ID,
      openIdMetadataUrl: identity.channelOpenIdMetadataUrl,
      now: clock.now,
      fetch: keys.impl,
      ...options,
    });
    /** A good token by the guard's clock (an hour's life), signed by the key now under `kid`. */
    const token = (kid = CHANNEL_KID, claims: Record<string, unknown> = {}) => {
      const at = Math.floor(clock.now().getTime() / 1000);
      return identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: SERVICE_URL, nbf: at - 60, exp: at + 3600, ...claims }, { kid });
    };
    return { clock, keys, guard, token };
  };

  it('refuses a key withdrawn from the published keys within the hour (it used to be trusted for 24 h)', async () => {
    const { clock, keys, guard, token } = setUp();
    await identity.publishChannelKey('rotating-withdrawn');
    expect((await statusFor(guard, await token('rotating-withdrawn'))).status).toBe(200);
    identity.withdrawChannelKey('rotating-withdrawn');
    // Within the hour the cached key is still trusted: the price of not fetching on every request.
    clock.advanceMs(59 * MINUTE);
    expect((await statusFor(guard, await token('rotating-withdrawn'))).status).toBe(200);
    expect(keys.keyFetches()).toBe(1);
    clock.advanceMs(2 * MINUTE);
    expect((await statusFor(guard, await token('rotating-withdrawn'))).status).toBe(401);
    expect(keys.keyFetches()).toBe(2);
    // The keys still published are trusted as before.
    expect((await statusFor(guard, await token())).status).toBe(200);
    expect(keys.keyFetches()).toBe(2);
  });

  it('accepts a new key published under a known kid once its cached keys are older than the refetch limit', async () => {
    const { clock, keys, guard, token } = setUp();
    await identity.publishChannelKey('rotating-same-kid');
    expect((await statusFor(guard, await token('rotating-same-kid'))).status).toBe(200);
    await identity.publishChannelKey('rotating-same-kid');
    // Within five minutes of the last fetch a failed signature does not refetch (forged tokens cannot hammer the key service).
    clock.advanceMs(4 * MINUTE);
    expect((await statusFor(guard, await token('rotating-same-kid'))).status).toBe(401);
    expect(keys.keyFetches()).toBe(1);
    clock.advanceMs(2 * MINUTE);
    expect((await statusFor(guard, await token('rotating-same-kid'))).status).toBe(200);
    expect(keys.keyFetches()).toBe(2);
    // And a token signed by a key nobody published under that kid now costs no further fetch.
    const { privateKey } = await generateKeyPair('RS256');
    const at = Math.floor(clock.now().getTime() / 1000);
    const forged = await new SignJWT({
      serviceurl: SERVICE_URL,
      iss: 'https://api.botframework.com',
      aud: TEST_APP_ID,
      nbf: at - 60,
      exp: at + 3600,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'rotating-same-kid' })
      .sign(privateKey);
    expect((await statusFor(guard, forged)).status).toBe(401);
    expect(keys.keyFetches()).toBe(2);
  });

  it('fetches the keys at most once per five minutes however many unknown kids arrive', async () => {
    const { clock, keys, guard, token } = setUp();
    expect((await statusFor(guard, await token())).status).toBe(200);
    const { privateKey } = await generateKeyPair('RS256');
    const unknownKid = async (i: number) => {
      const at = Math.floor(clock.now().getTime() / 1000);
      return new SignJWT({ serviceurl: SERVICE_URL, iss: 'https://api.botframework.com', aud: TEST_APP_ID, nbf: at - 60, exp: at + 3600 })
        .setProtectedHeader({ alg: 'RS256', kid: `unknown-${i}` })
        .sign(privateKey);
    };
    const burst = async (from: number) =>
      Promise.all(Array.from({ length: 20 }, async (_, i) => (await statusFor(guard, await unknownKid(from + i))).status));
    clock.advanceMs(1 * MINUTE);
    expect(new Set(await burst(0))).toEqual(new Set([401]));
    expect(keys.keyFetches()).toBe(1);
    clock.advanceMs(5 * MINUTE);
    expect(new Set(await burst(100))).toEqual(new Set([401]));
    expect(keys.keyFetches()).toBe(2);
    clock.advanceMs(2 * MINUTE);
    expect(new Set(await burst(200))).toEqual(new Set([401]));
    expect(keys.keyFetches()).toBe(2);
  });

  it('shares one key fetch among requests that arrive together', async () => {
    const { keys, guard, token } = setUp();
    const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await statusFor(guard, await token())).status));
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 200));
    expect([keys.metadataFetches(), keys.keyFetches()]).toEqual([1, 1]);
  });

  it.each<[Mode]>([['hang-metadata'], ['hang-keys']])(
    'answers 503 when the key service does not answer (%s), after the fetch timeout',
    async (mode) => {
      const { keys, guard, token } = setUp({ keyFetchTimeoutMs: 50 });
      keys.set(mode);
      const answer = await statusFor(guard, await token());
      expect(answer.status).toBe(503);
      expect(JSON.stringify(answer.body)).not.toMatch(/jwt|eyJ/i);
      // Once it answers again, so does the guard.
      keys.set('up');
      expect((await statusFor(guard, await token())).status).toBe(200);
    },
  );

  it.each<[Mode]>([['error-metadata'], ['error-keys']])(
    'answers 503, not 401, when the key service answers with an error (%s)',
    async (mode) => {
      const { keys, guard, token } = setUp();
      keys.set(mode);
      expect((await statusFor(guard, await token())).status).toBe(503);
    },
  );
});

describe("the channel token guard bounds a token's lifetime by its own clock", () => {
  let identity: LocalIdentityProvider;
  beforeAll(async () => {
    identity = await startLocalIdentityProvider();
  });
  afterAll(async () => identity?.close());

  // The guard's clock is a year ahead of the machine's: every time below is the guard's.
  const clock = fakeClock(new Date(Date.now() + 365 * 24 * 3600_000));
  const at = () => Math.floor(clock.now().getTime() / 1000);
  const guardFor = () => channelTokenGuard({ appId: TEST_APP_ID, openIdMetadataUrl: identity.channelOpenIdMetadataUrl, now: clock.now });
  const HOUR = 3600;

  it.each<{ name: string; claims: () => Record<string, unknown>; expected: number }>([
    { name: 'an hour-long token (as Bot Framework issues)', claims: () => ({ nbf: at() - 300, exp: at() + HOUR }), expected: 200 },
    { name: 'a lifetime of exactly 24 hours', claims: () => ({ nbf: at() - 60, exp: at() - 60 + 24 * HOUR }), expected: 200 },
    { name: 'a lifetime of 24 hours and a minute', claims: () => ({ nbf: at() - 60, exp: at() + 24 * HOUR }), expected: 401 },
    { name: 'no iat and no nbf, expiring in 23 hours', claims: () => ({ nbf: undefined, exp: at() + 23 * HOUR }), expected: 200 },
    { name: 'no iat and no nbf, expiring in 25 hours', claims: () => ({ nbf: undefined, exp: at() + 25 * HOUR }), expected: 401 },
    { name: 'no exp', claims: () => ({ exp: undefined }), expected: 401 },
    {
      name: 'iat four minutes ahead (within the clock skew)',
      claims: () => ({ iat: at() + 240, nbf: at() - 60, exp: at() + HOUR }),
      expected: 200,
    },
    {
      name: 'iat six minutes ahead (beyond the clock skew)',
      claims: () => ({ iat: at() + 360, nbf: at() - 60, exp: at() + HOUR }),
      expected: 401,
    },
    {
      name: 'issued (iat) 25 hours ago, expiring in an hour',
      claims: () => ({ iat: at() - 25 * HOUR, nbf: at() - 60, exp: at() + HOUR }),
      expected: 401,
    },
  ])('$name: $expected', async ({ claims, expected }) => {
    const guard = guardFor();
    const token = await identity.signChannelToken({ appId: TEST_APP_ID, serviceUrl: SERVICE_URL, ...claims() });
    expect((await statusFor(guard, token)).status).toBe(expected);
  });
});
