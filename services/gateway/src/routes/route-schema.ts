/** The route table's schema (TypeBox): one schema gives the YAML validator and the types. */
import { Type, type Static } from '@rampart/chassis';

const Url = Type.String({ pattern: '^https?://[^/?#]+(/[^?#]*)?$' });
const Prefix = Type.String({ pattern: "^/([A-Za-z0-9\\-._~!$&'()*+,=:@]+/?)*$", maxLength: 1024 });
const Method = Type.Union(
  ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => Type.Literal(m)),
);
const Name = Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' }); // RFC 6749 §3.3

export const rateLimitSchema = Type.Object(
  {
    key: Type.Union([Type.Literal('user'), Type.Literal('client'), Type.Literal('ip')], { default: 'ip' }),
    points: Type.Integer({ minimum: 1 }),
    durationSec: Type.Integer({ minimum: 1, maximum: 86_400 }),
  },
  { additionalProperties: false },
);

export const corsSchema = Type.Object(
  {
    origins: Type.Array(Type.String({ pattern: '^(\\*|https?://[^/]+)$' }), { minItems: 1 }),
    methods: Type.Optional(Type.Array(Method)),
    headers: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9-]+$' }))),
    exposeHeaders: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9-]+$' }))),
    credentials: Type.Boolean({ default: false }),
    maxAgeSec: Type.Integer({ minimum: 0, default: 600 }),
  },
  { additionalProperties: false },
);

export const healthCheckSchema = Type.Object(
  {
    path: Type.String({ default: '/health/ready', pattern: '^/' }),
    intervalMs: Type.Integer({ minimum: 100, default: 5000 }),
    timeoutMs: Type.Integer({ minimum: 10, default: 2000 }),
  },
  { additionalProperties: false },
);

export const routeSchema = Type.Object(
  {
    /** Unique name for metrics and logs; defaults to the prefix. */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Path prefix, matched on whole segments of the normalized path (`/api` matches `/api/x`, not `/apix`). */
    prefix: Prefix,
    upstreams: Type.Array(Url, { minItems: 1 }),
    /** Remove the prefix before forwarding (`/api/orders/1` → `/1`). */
    stripPrefix: Type.Boolean({ default: false }),
    /** Replace the prefix with this one (`/api/orders/1` → `/orders/1`); wins over stripPrefix. */
    rewritePrefix: Type.Optional(Prefix),
    timeoutMs: Type.Integer({ minimum: 1, maximum: 600_000, default: 30_000 }),
    /** Extra attempts for idempotent methods after a connect error or a 503. */
    retries: Type.Integer({ minimum: 0, maximum: 5, default: 1 }),
    retryBackoffMs: Type.Integer({ minimum: 0, maximum: 10_000, default: 50 }),
    breaker: Type.Object(
      {
        /** Consecutive failures (connect errors, timeouts, 502/503/504) that open the breaker. */
        failures: Type.Integer({ minimum: 1, default: 5 }),
        /** Time the breaker stays open before one trial request is let through. */
        halfOpenAfterMs: Type.Integer({ minimum: 10, default: 10_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Passive health: an upstream failing to connect is skipped for this long. */
    ejectMs: Type.Integer({ minimum: 0, default: 10_000 }),
    healthCheck: Type.Optional(healthCheckSchema),
    bodyLimit: Type.Integer({ minimum: 0, default: 1_048_576 }),
    methods: Type.Optional(Type.Array(Method, { minItems: 1 })),
    cors: Type.Optional(corsSchema),
    auth: Type.Union([Type.Literal('required'), Type.Literal('optional'), Type.Literal('none')], {
      default: 'required',
    }),
    /** Every one of these scopes (RFC 6750 §3.1 insufficient_scope otherwise). */
    scopes: Type.Optional(Type.Array(Name)),
    /** At least one of these roles. */
    roles: Type.Optional(Type.Array(Name)),
    rateLimit: Type.Optional(rateLimitSchema),
  },
  { additionalProperties: false },
);

export const routeTableSchema = Type.Object(
  { routes: Type.Array(routeSchema) },
  { additionalProperties: false },
);

export type RouteSpec = Static<typeof routeSchema>;
export type RouteTableSpec = Static<typeof routeTableSchema>;
export type RateLimitSpec = Static<typeof rateLimitSchema>;
export type CorsSpec = Static<typeof corsSchema>;
