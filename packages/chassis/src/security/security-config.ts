/**
 * The configuration keys of a secured service, under `security.*` (env
 * `RAMPART_SECURITY_ISSUER` for every service, `RAMPART_ORDERS_SECURITY_CLIENT_SECRET` for one).
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';

export function securityConfigSchema(service: string) {
  return Type.Object(
    {
      issuer: Type.String({
        default: 'http://localhost:8080',
        pattern: '^https?://',
        description: 'the authorization server issuer URL; tokens must carry exactly this iss',
      }),
      audience: Type.String({
        default: service,
        minLength: 1,
        description: 'this service in the tokens aud claim',
      }),
      jwksUri: Type.Optional(
        Type.String({ pattern: '^https?://', description: 'default: discovered from the issuer' }),
      ),
      clockToleranceSec: Type.Integer({
        default: 30,
        minimum: 0,
        maximum: 300,
        description: 'exp/nbf clock skew',
      }),
      clientId: Type.String({
        default: service,
        minLength: 1,
        description: 'this service as an OAuth client',
      }),
      clientSecret: Type.Optional(
        Type.String({
          secret: true,
          minLength: 1,
          description: 'client-credentials secret (revocation feed, own calls)',
        }),
      ),
      tokenEndpoint: Type.Optional(
        Type.String({ pattern: '^https?://', description: 'default: discovered from the issuer' }),
      ),
      revocationFeed: Type.Boolean({ default: true, description: 'subscribe to the issuer revocation feed' }),
      revocationFeedUrl: Type.Optional(
        Type.String({ pattern: '^https?://', description: 'default: <issuer>/revocations' }),
      ),
      permissions: Type.Record(Type.String(), Type.Array(Type.String()), {
        default: {},
        description: 'role → permissions (JSON); overrides the map the service declares in code',
      }),
    },
    { additionalProperties: false },
  );
}

export type SecurityConfig = Static<ReturnType<typeof securityConfigSchema>>;

/** Adds `security.*` to a service's schema unless it declares its own. */
export function withSecurityConfig<S extends TObject>(schema: S, service: string): S {
  if ('security' in schema.properties) return schema;
  return Type.Object(
    { ...schema.properties, security: securityConfigSchema(service) },
    { additionalProperties: false },
  ) as unknown as S;
}
