/**
 * RFC 6749 §4.4: a service account's token. `sub` is the client id (RFC 9068 §2.2), roles are the
 * client's. No refresh token (§4.4.3) and no token row: the token is signed in memory (on the
 * thread pool); only its audit event is written.
 */
import type { FastifyRequest } from 'fastify';
import type { Client } from '../../clients/client.js';
import type { AuthContext } from '../../context.js';
import { issueAccessToken } from '../../tokens/access-token.js';
import type { FormParams } from '../parse-form.js';
import { defaultAudienceOf, narrowScope, resolveAudience } from './grant-helpers.js';
import type { TokenResponse } from './token-response.js';

export async function clientCredentialsGrant(
  context: AuthContext,
  client: Client,
  params: FormParams,
  request: FastifyRequest,
): Promise<TokenResponse> {
  const scope = narrowScope(params.get('scope'), client.scopes).join(' ');
  const audience = resolveAudience(
    params,
    client.audiences,
    defaultAudienceOf(client, context.config.defaultAudience),
  );
  const ttl = client.accessTokenTtl ?? context.config.accessTokenTtlSeconds;
  const issued = await issueAccessToken(context.keys.signer, {
    issuer: context.config.issuer,
    sub: client.clientId,
    clientId: client.clientId,
    audience,
    scope,
    roles: client.roles,
    ttlSeconds: ttl,
  });
  await context.audit(request, 'token.issued', {
    actor: { clientId: client.clientId, sub: client.clientId, kind: 'service' },
    resource: `client:${client.clientId}`,
    details: { grant_type: 'client_credentials', jti: issued.jti, scope, aud: audience },
  });
  return {
    access_token: issued.token,
    token_type: 'Bearer',
    expires_in: ttl,
    ...(scope ? { scope } : {}),
  };
}
