/**
 * `POST /oauth2/revoke` (RFC 7009). A refresh token revokes its whole family and the access
 * tokens issued from it; an access token is denied until its `exp`. Unknown, invalid and other
 * clients' tokens answer 200 too (§2.2), without revoking anything.
 */
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from '../context.js';
import { revokeFamilies } from '../tokens/families.js';
import { findRefreshToken } from '../tokens/refresh-tokens.js';
import { authenticateClient } from './authenticate-client.js';
import { UnsupportedTokenType } from './errors.js';
import { noStore, oauthRouteOptions } from './oauth-route.js';
import { parseForm } from './parse-form.js';

export function registerRevocationEndpoint(app: FastifyInstance, context: AuthContext): void {
  app.post('/oauth2/revoke', oauthRouteOptions, async (request, reply) => {
    const params = parseForm(request);
    const { client } = await authenticateClient(context, request, params);
    const token = params.require('token');
    const hint = params.get('token_type_hint');
    if (hint !== undefined && hint !== 'access_token' && hint !== 'refresh_token') {
      throw new UnsupportedTokenType(`unsupported token_type_hint ${hint}`);
    }
    if (token.split('.').length === 3) {
      const claims = await context.verifyAccessToken(token);
      if (claims && claims.client_id === client.clientId) {
        await context.revocations.record([{ kind: 'jti', value: claims.jti, expiresAt: claims.exp * 1000 }]);
        await context.audit(request, 'token.revoked', {
          actor: { clientId: client.clientId },
          resource: `jti:${claims.jti}`,
          details: { token_type: 'access_token' },
        });
      }
    } else {
      const state = await findRefreshToken(context.db, token);
      if (state && state.family.clientId === client.clientId) {
        const revoked = await revokeFamilies(
          context.db,
          context.revocations,
          { familyId: state.familyId },
          'revoked by client',
        );
        await context.audit(request, 'token.revoked', {
          actor: { clientId: client.clientId },
          resource: `family:${state.familyId}`,
          details: { token_type: 'refresh_token', revoked_families: revoked },
        });
      }
    }
    return noStore(reply).status(200).send();
  });
}
