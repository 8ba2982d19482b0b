/**
 * Authorization-server metadata (RFC 8414 §2, OIDC Discovery §3) and the JWKS (RFC 7517).
 * The JWKS may be cached for 5 minutes: a new key is published longer than that before it signs.
 */
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from '../context.js';

export const JWKS_MAX_AGE_SECONDS = 300;

export function serverMetadata(context: AuthContext): Record<string, unknown> {
  const { issuer, signingAlg } = context.config;
  const authMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    userinfo_endpoint: `${issuer}/userinfo`,
    end_session_endpoint: `${issuer}/logout`,
    revocations_feed_endpoint: `${issuer}/revocations`,
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: authMethods,
    token_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256', 'PS256'],
    introspection_endpoint_auth_methods_supported: authMethods.filter((m) => m !== 'none'),
    revocation_endpoint_auth_methods_supported: authMethods,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [signingAlg],
    // RFC 9068 access tokens are signed with the same keys.
    access_token_signing_alg_values_supported: [signingAlg],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'sid',
      'at_hash',
      'preferred_username',
      'name',
      'email',
    ],
    authorization_response_iss_parameter_supported: true,
  };
}

export function registerDiscovery(app: FastifyInstance, context: AuthContext): void {
  const metadata = serverMetadata(context);
  const send = async () => metadata;
  const options = { config: { public: true } } as const;
  app.get('/.well-known/openid-configuration', options, send);
  app.get('/.well-known/oauth-authorization-server', options, send);
  app.get('/oauth2/jwks', options, async (_request, reply) => {
    reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`).type('application/jwk-set+json');
    return context.keys.jwks;
  });
}
