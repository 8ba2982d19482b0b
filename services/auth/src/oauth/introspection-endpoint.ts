/**
 * `POST /oauth2/introspect` (RFC 7662). The caller authenticates as a confidential client
 * (§2.1); an inactive, unknown or foreign token answers exactly `{"active":false}` (§2.2).
 */
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from '../context.js';
import { findRefreshToken } from '../tokens/refresh-tokens.js';
import { authenticateClient } from './authenticate-client.js';
import { InvalidClient } from './errors.js';
import { noStore, oauthRouteOptions } from './oauth-route.js';
import { parseForm } from './parse-form.js';

const INACTIVE = { active: false } as const;

export async function introspect(
  context: AuthContext,
  token: string,
  hint: string | undefined,
): Promise<Record<string, unknown>> {
  const looksLikeJwt = token.split('.').length === 3;
  if (looksLikeJwt && hint !== 'refresh_token') {
    const claims = await context.verifyAccessToken(token);
    if (!claims) return INACTIVE;
    if (claims.sub !== claims.client_id) {
      const user = await context.users.findById(claims.sub);
      if (!user || user.disabled) return INACTIVE;
    }
    return { active: true, token_type: 'Bearer', ...claims };
  }
  if (looksLikeJwt) return INACTIVE;
  const state = await findRefreshToken(context.db, token);
  const now = Date.now();
  if (
    !state ||
    state.rotatedAt !== null ||
    state.family.revokedAt !== null ||
    state.expiresAt <= now ||
    state.family.absoluteExpiresAt <= now
  ) {
    return INACTIVE;
  }
  return {
    active: true,
    token_type: 'refresh_token',
    client_id: state.family.clientId,
    scope: state.scope,
    iss: context.config.issuer,
    ...(state.family.userId ? { sub: state.family.userId } : {}),
    exp: Math.floor(Math.min(state.expiresAt, state.family.absoluteExpiresAt) / 1000),
  };
}

export function registerIntrospectionEndpoint(app: FastifyInstance, context: AuthContext): void {
  app.post('/oauth2/introspect', oauthRouteOptions, async (request, reply) => {
    const params = parseForm(request);
    const { method } = await authenticateClient(context, request, params);
    if (method === 'none') throw new InvalidClient('introspection requires client authentication');
    const token = params.require('token');
    const result = await introspect(context, token, params.get('token_type_hint'));
    return noStore(reply).send(result);
  });
}
