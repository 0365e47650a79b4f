// A local stand-in for the Bot Framework token issuer (login.botframework.com) and for Entra ID
// (login.microsoftonline.com), so tests run the bot with authentication ON against botbuilder's
// real validation code, with only the HTTP boundary replaced.
//
// Inbound (channel -> bot): tokens signed RS256 by a key published in a local OpenID metadata
// document, exactly the checks botbuilder 4.23.3 runs in
// botframework-connector/src/auth/parameterizedBotFrameworkAuthentication.ts and jwtTokenExtractor.ts.
// Outbound (bot -> Bot Connector): TestCredentialsFactory signs each request with an Entra-shaped
// token from a separate key, which the Bot Connector stand-in verifies.
import { createPublicKey, type JsonWebKey as NodeJsonWebKey } from 'node:crypto';

import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { type ServiceClientCredentials, ServiceClientCredentialsFactory } from 'botframework-connector';
import express from 'express';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';

import { listenOnLoopback } from './listen.ts';

/** The issuer botbuilder expects on channel tokens (AuthenticationConstants.ToBotFromChannelTokenIssuer). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
/** The audience of the bot's own tokens for the Bot Connector (AuthenticationConstants.ToChannelFromBotOAuthScope). */
export const BOT_CONNECTOR_AUDIENCE = 'https://api.botframework.com';
/** Fictional ids: never a real app or tenant. */
export const TEST_APP_ID = '00000000-0000-4000-8000-0000000b0701';
export const TEST_TENANT_ID = '00000000-0000-4000-8000-00000000e7a1';

/** The kid of the msteams-endorsed key that signs good channel tokens. */
export const CHANNEL_KID = 'local-channel-msteams';
const WITHDRAWN_KID = 'local-channel-withdrawn';
const UNENDORSED_KID = 'local-channel-unendorsed';
const WEBCHAT_ONLY_KID = 'local-channel-webchat-only';
const UNPUBLISHED_KID = 'local-unpublished';
const ENTRA_KID = 'local-entra';

type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };

async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: await exportJWK(publicKey) };
}

const publicKeyObject = (key: SigningKey) => createPublicKey({ key: key.publicJwk as NodeJsonWebKey, format: 'jwk' });
const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims of a channel token; `undefined` removes a claim. */
export interface ChannelTokenRequest {
  appId: string;
  /** Must equal the activity's serviceUrl (botbuilder compares the `serviceurl` claim exactly). */
  serviceUrl: string;
  [claim: string]: unknown;
}

/**
 * Every forged inbound Authorization a test can send. Each must be refused with 401 before the bot
 * logic runs. Descriptions are test names.
 */
export const FORGED_CHANNEL_TOKENS = {
  'no-token': 'no Authorization header',
  'garbage-bearer': 'a bearer that is not a JWT',
  'wrong-issuer': 'a token from another issuer',
  'wrong-audience': 'a token for another app id',
  expired: 'a token that expired more than the 5-minute clock skew ago',
  'not-yet-valid': 'a token whose nbf is beyond the 5-minute clock skew',
  'serviceurl-mismatch': 'a token whose serviceurl claim is not the activity serviceUrl',
  'unknown-key-same-kid': 'a token signed by an unpublished key under the published kid',
  'unknown-key-other-kid': 'a token signed by an unpublished key under its own kid',
  'missing-kid': 'a properly signed token with no kid in its header',
  'alg-none': 'an unsigned token (alg none) naming the published kid',
  'tampered-payload': 'a signed token whose payload was changed after signing',
  'hs256-public-key-secret': 'an HS256 token using the published RSA public key as the HMAC secret',
  'key-endorsed-for-other-channel': 'a token signed by a published key endorsed only for webchat',
  'key-without-endorsements': 'a token signed by a published key that has no endorsements at all',
  'emulator-issuer-signed-by-channel-key': 'an Emulator-issuer (Entra) token signed by the channel key',
  'bot-outbound-token-replayed': "the bot's own Bot Connector token replayed inbound",
  'entra-app-token-any-tenant': 'an Entra app token for the bot app id from an unlisted tenant (no serviceurl claim)',
} as const;
export type ForgedChannelToken = keyof typeof FORGED_CHANNEL_TOKENS;

/**
 * Forged inbound tokens that botbuilder 4.23.3 on its own does not look for (it checks neither a
 * token's lifetime nor its iat, and trusts a fetched key for 24 h), so only the app's guard refuses
 * them. Kept apart from FORGED_CHANNEL_TOKENS because the stand-ins suite
 * (test/botframework/standIns.test.ts) states botbuilder's own answer to every row of that list.
 * Each must be refused with 401 before the bot logic runs. Descriptions are test names.
 */
export const GUARD_FORGED_CHANNEL_TOKENS = {
  'no-exp': 'a token with no exp (it would never expire)',
  'ten-year-exp': 'a token valid for ten years (exp ten years away, no iat)',
  'lifetime-over-a-day': 'a token valid for 25 hours, beyond the one-day bound',
  'issued-ten-years-ago': 'a token issued (iat) ten years ago that is still unexpired',
  'iat-in-future': 'a token issued (iat) a day in the future',
  'withdrawn-key': 'a token signed by a key the issuer published and then withdrew from its keys',
} as const;
export type GuardForgedChannelToken = keyof typeof GUARD_FORGED_CHANNEL_TOKENS;

export interface BotTokenRequest {
  appId: string;
  tenantId?: string;
  audience?: string;
}

export type BotTokenVerdict = { ok: true; claims: JWTPayload } | { ok: false; reason: string };

export interface LocalIdentityProvider {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly channelOpenIdMetadataUrl: string;
  readonly emulatorOpenIdMetadataUrl: string;
  /** Paths botbuilder (or anyone) fetched from this server, in order: proves the metadata came from here. */
  readonly fetches: string[];
  /**
   * A valid Bot Framework channel token (RS256, published msteams-endorsed key, kid in header).
   * `kid` names another channel key (see publishChannelKey), published or since withdrawn.
   */
  signChannelToken(request: ChannelTokenRequest, options?: { kid?: string }): Promise<string>;
  /**
   * Key rotation at the issuer: a new key under `kid` (replacing the one published under it, if
   * any) is published in the JWKS, and signChannelToken signs with it from now on.
   */
  publishChannelKey(kid: string, endorsements?: string[]): Promise<void>;
  /** Removes the key under `kid` from the published JWKS; signChannelToken can still sign with it, as a thief could. */
  withdrawChannelKey(kid: string): void;
  /** The full Authorization header value for a forged variant, or undefined for 'no-token'. */
  forgedAuthorization(
    variant: ForgedChannelToken | GuardForgedChannelToken,
    request: { appId: string; serviceUrl: string; tenantId?: string },
  ): Promise<string | undefined>;
  /** Entra-shaped token the bot presents to the Bot Connector. */
  signBotToken(request: BotTokenRequest): Promise<string>;
  /** What the Bot Connector stand-in checks on every outbound call. */
  verifyBotToken(token: string, expected: { appId: string; tenantId?: string; audience?: string }): Promise<BotTokenVerdict>;
  /** Settings for `new ConfigurationBotFrameworkAuthentication(config, credentialsFactory)`; every endpoint is local. */
  botFrameworkAuthConfig(appId: string, options?: { tenantId?: string }): ConfigurationBotFrameworkAuthenticationOptions;
  close(): Promise<void>;
}

export async function startLocalIdentityProvider(): Promise<LocalIdentityProvider> {
  const [unendorsedKey, webchatOnlyKey, unpublishedKey, entraKey] = await Promise.all([
    newSigningKey(UNENDORSED_KID),
    newSigningKey(WEBCHAT_ONLY_KID),
    newSigningKey(UNPUBLISHED_KID),
    newSigningKey(ENTRA_KID),
  ]);
  /** msteams-endorsed keys by kid, in publication order; a withdrawn key stays here (to sign forgeries) but is not served. */
  const channelKeys = new Map<string, { key: SigningKey; endorsements: string[]; published: boolean }>();
  const publishChannelKey = async (kid: string, endorsements = ['msteams']) => {
    channelKeys.delete(kid);
    channelKeys.set(kid, { key: await newSigningKey(kid), endorsements, published: true });
  };
  const withdrawChannelKey = (kid: string) => {
    const entry = channelKeys.get(kid);
    if (!entry) throw new Error(`no channel key ${kid}`);
    entry.published = false;
  };
  const channelKeyFor = (kid: string) => {
    const entry = channelKeys.get(kid);
    if (!entry) throw new Error(`no channel key ${kid}`);
    return entry.key;
  };
  await publishChannelKey(CHANNEL_KID);
  // Published, then withdrawn before the service first fetches the keys: the state the app's guard
  // reaches within the hour of a real withdrawal (test/teams/channelTokenGuard.test.ts moves the
  // clock through that hour with a key it had fetched).
  await publishChannelKey(WITHDRAWN_KID);
  withdrawChannelKey(WITHDRAWN_KID);
  const published = (key: SigningKey, endorsements?: string[]) => ({
    ...key.publicJwk,
    kid: key.kid,
    use: 'sig',
    alg: 'RS256',
    ...(endorsements ? { endorsements } : {}),
  });

  const fetches: string[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    fetches.push(req.path);
    next();
  });
  // All keys are published from the start: botbuilder caches a JWKS for 24 h and refetches at most
  // once an hour for an unknown kid (openIdMetadata.ts getKey), so keys added later would never be seen
  // by a service behind it (publishChannelKey is for the app's guard on its own).
  app.get('/v1/.well-known/openidconfiguration', (_req, res) => {
    res.json({
      issuer: BOT_FRAMEWORK_ISSUER,
      authorization_endpoint: `${origin}/v1/authorize`,
      jwks_uri: `${origin}/v1/.well-known/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    });
  });
  app.get('/v1/.well-known/keys', (_req, res) => {
    res.json({
      keys: [
        ...[...channelKeys.values()].filter((k) => k.published).map((k) => published(k.key, k.endorsements)),
        published(unendorsedKey),
        published(webchatOnlyKey, ['webchat']),
      ],
    });
  });
  // Emulator path (Entra keys, as login.microsoftonline.com/common publishes them: no endorsements).
  app.get('/emulator/v2.0/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
      jwks_uri: `${origin}/emulator/discovery/v2.0/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    });
  });
  app.get('/emulator/discovery/v2.0/keys', (_req, res) => {
    res.json({ keys: [published(entraKey)] });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not served by the local identity provider' });
  });

  const server = await listenOnLoopback(app);
  const origin = server.origin;

  const channelClaims = ({ appId, serviceUrl, ...overrides }: ChannelTokenRequest): JWTPayload => {
    const now = nowSeconds();
    const claims: Record<string, unknown> = {
      serviceurl: serviceUrl,
      nbf: now - 60,
      exp: now + 3600,
      iss: BOT_FRAMEWORK_ISSUER,
      aud: appId,
      ...overrides,
    };
    for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
    return claims as JWTPayload;
  };

  const signWith = (key: SigningKey, claims: JWTPayload, kid: string | undefined = key.kid) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) }).sign(key.privateKey);

  const signBotToken = ({ appId, tenantId = TEST_TENANT_ID, audience = BOT_CONNECTOR_AUDIENCE }: BotTokenRequest) => {
    const now = nowSeconds();
    return signWith(entraKey, {
      aud: audience,
      iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      azp: appId,
      azpacr: '1',
      tid: tenantId,
      ver: '2.0',
    });
  };

  const forgedAuthorization: LocalIdentityProvider['forgedAuthorization'] = async (variant, { appId, serviceUrl, tenantId }) => {
    const valid = channelClaims({ appId, serviceUrl });
    const now = nowSeconds();
    const channelKey = channelKeyFor(CHANNEL_KID);
    const year = 365 * 24 * 3600;
    const bearer = (token: string) => `Bearer ${token}`;
    switch (variant) {
      case 'no-token':
        return undefined;
      case 'garbage-bearer':
        return 'Bearer this-is-not-a-jwt';
      case 'wrong-issuer':
        return bearer(await signWith(channelKey, { ...valid, iss: 'https://api.botframework.com.attacker.example' }));
      case 'wrong-audience':
        return bearer(await signWith(channelKey, { ...valid, aud: '00000000-0000-4000-8000-00000000bad0' }));
      case 'expired':
        return bearer(await signWith(channelKey, { ...valid, nbf: now - 7200, exp: now - 600 }));
      case 'not-yet-valid':
        return bearer(await signWith(channelKey, { ...valid, nbf: now + 1800, exp: now + 7200 }));
      case 'serviceurl-mismatch':
        return bearer(await signWith(channelKey, { ...valid, serviceurl: 'https://smba.trafficmanager.net/amer/' }));
      case 'unknown-key-same-kid':
        return bearer(await signWith(unpublishedKey, valid, CHANNEL_KID));
      case 'unknown-key-other-kid':
        return bearer(await signWith(unpublishedKey, valid));
      case 'missing-kid':
        return bearer(await signWith(channelKey, valid, ''));
      case 'alg-none':
        return bearer(`${base64url({ alg: 'none', typ: 'JWT', kid: CHANNEL_KID })}.${base64url(valid)}.`);
      case 'tampered-payload': {
        const [header, , signature] = (await signWith(channelKey, valid)).split('.');
        return bearer(`${header}.${base64url({ ...valid, exp: now + 30 * 24 * 3600 })}.${signature}`);
      }
      case 'hs256-public-key-secret': {
        // Byte-for-byte the PEM botbuilder hands to jsonwebtoken.verify (rsa-pem-from-mod-exp, PKCS#1).
        const pem = publicKeyObject(channelKey).export({ type: 'pkcs1', format: 'pem' }).toString();
        const token = await new SignJWT(valid)
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: CHANNEL_KID })
          .sign(new TextEncoder().encode(pem));
        return bearer(token);
      }
      case 'key-endorsed-for-other-channel':
        return bearer(await signWith(webchatOnlyKey, valid));
      case 'key-without-endorsements':
        return bearer(await signWith(unendorsedKey, valid));
      case 'emulator-issuer-signed-by-channel-key':
        // The Bot Framework tenant's v1 issuer is on botbuilder's Emulator allow-list
        // (ToBotFromBotOrEmulatorTokenValidationParameters), which routes the token to the Emulator path.
        return bearer(
          await signWith(channelKey, {
            iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/',
            aud: appId,
            appid: appId,
            ver: '1.0',
            nbf: now - 60,
            exp: now + 3600,
          }),
        );
      case 'bot-outbound-token-replayed':
        return bearer(await signBotToken({ appId, tenantId }));
      case 'entra-app-token-any-tenant': {
        // botbuilder's isTokenFromEmulator adds the issuers of whatever `tid` an unverified token
        // carries to its global Emulator allow-list (emulatorValidation.ts), so any tenant's
        // Entra-signed token whose azp is the bot's app id takes the Emulator path, which has no
        // serviceurl check. Holding such a token needs the bot's own credentials.
        const otherTenant = '00000000-0000-4000-8000-0000000e0a11';
        return bearer(
          await signWith(entraKey, {
            aud: appId,
            iss: `https://login.microsoftonline.com/${otherTenant}/v2.0`,
            tid: otherTenant,
            azp: appId,
            ver: '2.0',
            nbf: now - 60,
            exp: now + 3600,
          }),
        );
      }
      case 'no-exp':
        return bearer(await signWith(channelKey, { ...valid, exp: undefined }));
      case 'ten-year-exp':
        return bearer(await signWith(channelKey, { ...valid, exp: now + 10 * year }));
      case 'lifetime-over-a-day':
        return bearer(await signWith(channelKey, { ...valid, nbf: now - 60, exp: now - 60 + 25 * 3600 }));
      case 'issued-ten-years-ago':
        return bearer(await signWith(channelKey, { ...valid, iat: now - 10 * year, nbf: now - 10 * year }));
      case 'iat-in-future':
        return bearer(await signWith(channelKey, { ...valid, iat: now + 24 * 3600 }));
      case 'withdrawn-key':
        return bearer(await signWith(channelKeyFor(WITHDRAWN_KID), valid));
    }
  };

  return {
    url: origin,
    channelOpenIdMetadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
    emulatorOpenIdMetadataUrl: `${origin}/emulator/v2.0/.well-known/openid-configuration`,
    fetches,
    signChannelToken: (request, { kid = CHANNEL_KID } = {}) => signWith(channelKeyFor(kid), channelClaims(request)),
    publishChannelKey,
    withdrawChannelKey,
    forgedAuthorization,
    signBotToken,
    async verifyBotToken(token, { appId, tenantId = TEST_TENANT_ID, audience = BOT_CONNECTOR_AUDIENCE }) {
      try {
        const { payload } = await jwtVerify(token, publicKeyObject(entraKey), {
          algorithms: ['RS256'],
          issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
          audience,
        });
        if (payload.azp !== appId) return { ok: false, reason: `azp ${String(payload.azp)} is not ${appId}` };
        return { ok: true, claims: payload };
      } catch (err) {
        return { ok: false, reason: err instanceof Error ? err.message : String(err) };
      }
    },
    botFrameworkAuthConfig(appId, { tenantId = TEST_TENANT_ID } = {}) {
      return {
        MicrosoftAppId: appId,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: tenantId,
        ToBotFromChannelOpenIdMetadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
        ToBotFromEmulatorOpenIdMetadataUrl: `${origin}/emulator/v2.0/.well-known/openid-configuration`,
        ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_ISSUER,
        ToChannelFromBotLoginUrl: `${origin}/${tenantId}`,
        ToChannelFromBotOAuthScope: BOT_CONNECTOR_AUDIENCE,
        // The user-token service (OAuth cards, SSO). Not served: a call would 404 locally, never leave the machine.
        OAuthUrl: `${origin}/user-token-service`,
        // What the default public-cloud configuration stamps on authenticated activities (CallerIdConstants.PublicAzureChannel).
        CallerId: 'urn:botframework:azure',
        ValidateAuthority: false,
      };
    },
    close: () => server.close(),
  };
}

type WebResource = Parameters<ServiceClientCredentials['signRequest']>[0];

/**
 * Credentials for a configured (auth-on) bot: the same appId checks as botbuilder's
 * PasswordServiceClientCredentialFactory, but tokens come from the local identity provider and
 * never from Entra ID. Refuses any login endpoint that is not the local identity provider.
 */
export class TestCredentialsFactory extends ServiceClientCredentialsFactory {
  readonly appId: string;
  readonly tenantId: string;
  private readonly identity: LocalIdentityProvider;

  constructor({ appId, tenantId = TEST_TENANT_ID, identity }: { appId: string; tenantId?: string; identity: LocalIdentityProvider }) {
    super();
    this.appId = appId;
    this.tenantId = tenantId;
    this.identity = identity;
  }

  override async isValidAppId(appId = ''): Promise<boolean> {
    return appId === this.appId;
  }

  override async isAuthenticationDisabled(): Promise<boolean> {
    return !this.appId;
  }

  override async createCredentials(appId: string, audience: string | undefined, loginEndpoint: string): Promise<ServiceClientCredentials> {
    if (!(await this.isValidAppId(appId))) throw new Error('Invalid appId.');
    if (!loginEndpoint?.startsWith(this.identity.url)) {
      throw new Error(`TestCredentialsFactory: login endpoint ${loginEndpoint} is not the local identity provider`);
    }
    const { identity, tenantId } = this;
    return {
      async signRequest(webResource: WebResource): Promise<WebResource> {
        // As AppCredentials: an empty or missing audience means the Bot Connector scope.
        const token = await identity.signBotToken({ appId, tenantId, audience: audience || BOT_CONNECTOR_AUDIENCE });
        webResource.headers.set('authorization', `Bearer ${token}`);
        return webResource;
      },
    };
  }
}
