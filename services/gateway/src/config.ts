/** The gateway's configuration keys (merged over the chassis' host, port, logLevel, trustProxy…). */
import { Type, type Static } from '@rampart/chassis';

export const GATEWAY_DEFAULT_PORT = 8080;

const pem = (what: string) => Type.Optional(Type.String({ minLength: 1, description: `PEM file: ${what}` }));

export const gatewayConfigSchema = Type.Object({
  routesFile: Type.Optional(
    Type.String({ minLength: 1, description: 'YAML route table; default: the bundled routes.default.yaml' }),
  ),
  routesWatch: Type.Boolean({ default: true, description: 'reload the route table when the file changes' }),
  issuer: Type.String({
    default: 'http://localhost:8080',
    pattern: '^https?://',
    description: 'the authorization server issuer; bearer tokens must carry exactly this iss',
  }),
  audience: Type.String({
    default: 'rampart',
    minLength: 1,
    description: 'required in the tokens aud claim',
  }),
  jwksUri: Type.Optional(Type.String({ pattern: '^https?://', description: 'default: discovered' })),
  clockToleranceSec: Type.Integer({ default: 30, minimum: 0, maximum: 300 }),
  clientId: Type.String({ default: 'gateway', minLength: 1, description: 'the gateway as an OAuth client' }),
  clientSecret: Type.Optional(
    Type.String({ secret: true, minLength: 1, description: 'revocation feed and browser login (BFF)' }),
  ),
  tokenEndpoint: Type.Optional(Type.String({ pattern: '^https?://', description: 'default: discovered' })),
  revocationFeed: Type.Boolean({ default: true, description: 'subscribe to the issuer revocation feed' }),
  revocationFeedUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
  redisUrl: Type.Optional(
    Type.String({ secret: true, env: ['REDIS_URL'], description: 'shared rate limits and sessions' }),
  ),
  upstreamTls: Type.Optional(
    Type.Object(
      { ca: pem('CA of the upstreams'), cert: pem('client certificate'), key: pem('client key') },
      { additionalProperties: false },
    ),
  ),
  upstreamConnections: Type.Integer({ default: 128, minimum: 1, description: 'sockets per upstream origin' }),
  requestLog: Type.Boolean({
    default: true,
    dynamic: true,
    description: 'one JSON access-log line per request',
  }),
  session: Type.Object(
    {
      enabled: Type.Boolean({
        default: true,
        description: 'browser login at /auth/login (needs clientSecret)',
      }),
      publicUrl: Type.String({
        default: 'http://localhost:8080',
        pattern: '^https?://',
        description: 'the gateway as browsers see it (redirect URI, Secure cookies when https)',
      }),
      cookieName: Type.String({ default: 'rampart_session', pattern: '^[A-Za-z0-9_-]+$' }),
      scope: Type.String({ default: 'openid profile offline_access' }),
      idleTtlSec: Type.Integer({ default: 8 * 3600, minimum: 60 }),
      refreshSkewSec: Type.Integer({ default: 30, minimum: 0 }),
      postLoginPath: Type.String({ default: '/', pattern: '^/' }),
    },
    { additionalProperties: false, default: {} },
  ),
});

export type GatewayConfig = Static<typeof gatewayConfigSchema>;
