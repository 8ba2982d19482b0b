/** The auth service's configuration keys (merged over the chassis' host, port, logLevel, dataDir…). */
import { Type, type Static } from '@rampart/chassis';

export const authConfigSchema = Type.Object({
  /** The issuer identifier (`iss`); in `rampart up` the gateway's public URL. */
  // RFC 8414 §2: an https URL (http for local development) with no query or fragment; no
  // trailing slash, so `${issuer}/oauth2/token` is well-formed.
  issuer: Type.String({
    default: 'http://localhost:8081',
    pattern: '^https?://[^?#\\s]*[^/?#\\s]$',
    description: 'issuer identifier (iss): http(s) URL without query, fragment or trailing slash',
  }),
  /** Default `sqlite:<dataDir>/auth.db`. */
  databaseUrl: Type.Optional(Type.String({ secret: true, env: ['DATABASE_URL'] })),
  /** Shared state (revocation feed, jti replay cache) across instances; unset → in-process. */
  redisUrl: Type.Optional(Type.String({ secret: true, env: ['REDIS_URL'] })),
  /** RAMPART_AUTH_MASTER_KEY or RAMPART_MASTER_KEY (or _FILE). 32 bytes (base64 or base64url, or 64 hex digits) encrypting the private signing keys at rest. */
  masterKey: Type.Optional(Type.String({ secret: true })),
  accessTokenTtlSeconds: Type.Integer({ default: 300, minimum: 1 }),
  /** A refresh token unused for this long expires (idle lifetime). */
  refreshTokenIdleSeconds: Type.Integer({ default: 14 * 86_400, minimum: 1 }),
  /** A refresh-token family ends this long after the login, however it is used. */
  refreshTokenAbsoluteSeconds: Type.Integer({ default: 30 * 86_400, minimum: 1 }),
  /** A retry of an already-rotated refresh token within this window gets the same new tokens. */
  refreshReuseGraceSeconds: Type.Integer({ default: 10, minimum: 0 }),
  idTokenTtlSeconds: Type.Integer({ default: 300, minimum: 1 }),
  signingAlg: Type.Union([Type.Literal('ES256'), Type.Literal('EdDSA'), Type.Literal('RS256')], {
    default: 'ES256',
  }),
  /** Automatic signing-key rotation period; 0 disables it. */
  keyRotationDays: Type.Number({ default: 30, minimum: 0 }),
  /** How long a new key is published before it signs (≥ the JWKS `max-age`). */
  keyPublicationSeconds: Type.Integer({ default: 600, minimum: 0 }),
  /** `aud` when a request names no resource. */
  defaultAudience: Type.String({ default: 'rampart' }),
  /** How long a client registration is cached in memory (a change reaches every instance within it); 0 disables. */
  clientCacheSeconds: Type.Number({ default: 5, minimum: 0 }),
  /** Housekeeping interval (purge of expired codes, tokens, families, revocations). */
  housekeepingIntervalSeconds: Type.Integer({ default: 300, minimum: 1 }),
  /** Seed the demo users and clients (`rampart up --demo` sets RAMPART_DEMO=1; never otherwise). */
  demo: Type.Boolean({ default: false, env: ['RAMPART_DEMO'] }),
  /**
   * Outside demo mode, create the first `admin` user on first start (password from
   * RAMPART_ADMIN_PASSWORD, or generated into <dataDir>/admin-password, 0600).
   */
  bootstrapAdmin: Type.Boolean({ default: true }),
  /**
   * The platform's services as OAuth clients (set by `rampart up`): JSON
   * `{ "orders": "<secret>", "gateway": { "secret": "<secret>", "redirectUris": ["…/auth/callback"] } }`.
   * A service with redirect URIs also signs people in (the gateway's browser sessions).
   */
  serviceClients: Type.Record(
    Type.String({ pattern: '^[A-Za-z0-9._~-]{1,128}$' }),
    Type.Union([
      Type.String({ minLength: 32 }),
      Type.Object(
        {
          secret: Type.String({ minLength: 32 }),
          redirectUris: Type.Array(Type.String({ pattern: '^https?://' })),
        },
        { additionalProperties: false },
      ),
    ]),
    {
      default: {},
      secret: true,
      description: 'service client id → secret or { secret, redirectUris } (JSON)',
    },
  ),
  /** Longest wait of a `GET /revocations` long poll. */
  revocationsLongPollSeconds: Type.Number({ default: 25, minimum: 0 }),
});

export type AuthConfig = Static<typeof authConfigSchema>;
