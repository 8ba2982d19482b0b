/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6, S256 only) and OIDC Core §3.1.3: redeems a code once,
 * for the client and redirect URI it was issued to, and starts a refresh-token family.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Client } from '../../clients/client.js';
import type { AuthContext } from '../../context.js';
import { safeEqual } from '../../lib/random.js';
import { consumeAuthorizationCode } from '../../tokens/authorization-code.js';
import { createFamily, recordFamilyAccessToken, revokeFamilies } from '../../tokens/families.js';
import { insertRefreshToken } from '../../tokens/refresh-tokens.js';
import { InvalidGrant } from '../errors.js';
import type { FormParams } from '../parse-form.js';
import { resolveAudience, splitScope } from './grant-helpers.js';
import { defaultAudienceOf } from './grant-helpers.js';
import type { TokenResponse } from './token-response.js';
import { issueUserTokens } from './user-tokens.js';

/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export async function authorizationCodeGrant(
  context: AuthContext,
  client: Client,
  params: FormParams,
  request: FastifyRequest,
): Promise<TokenResponse> {
  const code = params.require('code');
  const redirectUri = params.require('redirect_uri');
  const now = Date.now();
  const consumed = await consumeAuthorizationCode(context.db, code, now);
  if (consumed.outcome === 'replayed') {
    // RFC 6749 §4.1.2: a code used twice revokes what it issued.
    const revoked = await revokeFamilies(
      context.db,
      context.revocations,
      { codeHash: consumed.code.code_hash },
      'code replayed',
      now,
    );
    await context.audit(request, 'token.code_replayed', {
      outcome: 'denied',
      actor: { clientId: client.clientId },
      resource: `user:${consumed.code.user_id}`,
      details: { code_client_id: consumed.code.client_id, revoked_families: revoked },
    });
    throw new InvalidGrant('authorization code already used');
  }
  if (consumed.outcome === 'invalid') throw new InvalidGrant('invalid or expired authorization code');
  const stored = consumed.code;
  if (stored.client_id !== client.clientId)
    throw new InvalidGrant('authorization code was issued to another client');
  if (stored.redirect_uri !== redirectUri)
    throw new InvalidGrant('redirect_uri does not match the authorization request');
  // PKCE is required for every client (RFC 9700 §2.1.1): a missing or malformed verifier is a
  // downgrade attempt, and like every failed redemption it spends the code.
  const verifier = params.get('code_verifier');
  if (verifier === undefined) throw new InvalidGrant('missing code_verifier');
  if (!VERIFIER.test(verifier)) throw new InvalidGrant('malformed code_verifier');
  if (stored.code_challenge_method !== 'S256') throw new InvalidGrant('unsupported code_challenge_method');
  const computed = createHash('sha256').update(verifier).digest('base64url');
  if (!safeEqual(computed, stored.code_challenge))
    throw new InvalidGrant('code_verifier does not match the code_challenge');

  const user = await context.users.findById(stored.user_id);
  if (!user || user.disabled) throw new InvalidGrant('the user is not active');

  const granted = stored.resource === null ? null : (JSON.parse(stored.resource) as string[]);
  const audience = resolveAudience(
    params,
    granted ?? client.audiences,
    granted ?? defaultAudienceOf(client, context.config.defaultAudience),
  );
  const scope = splitScope(stored.scope);

  const { config } = context;
  const absoluteExpiresAt = now + config.refreshTokenAbsoluteSeconds * 1000;
  const tokens = await issueUserTokens(
    context,
    {
      client,
      user,
      scope,
      audience,
      authTime: stored.auth_time,
      sessionId: stored.session_id,
      nonce: stored.nonce,
      withRefreshToken: client.grantTypes.includes('refresh_token'),
    },
    now,
  );
  const familyId = await createFamily(
    context.db,
    {
      clientId: client.clientId,
      userId: user.id,
      sessionId: stored.session_id,
      codeHash: stored.code_hash,
      scope: stored.scope,
      resource: granted,
      authTime: stored.auth_time,
      absoluteExpiresAt,
    },
    now,
  );
  await recordFamilyAccessToken(context.db, familyId, tokens.jti, tokens.accessTokenExpiresAt);
  if (tokens.refreshToken) {
    await insertRefreshToken(
      context.db,
      {
        familyId,
        parentHash: null,
        scope: stored.scope,
        expiresAt: Math.min(now + config.refreshTokenIdleSeconds * 1000, absoluteExpiresAt),
      },
      now,
      tokens.refreshToken,
    );
  }
  await context.audit(request, 'token.issued', {
    actor: { sub: user.id, clientId: client.clientId, kind: 'user' },
    resource: `family:${familyId}`,
    details: { grant_type: 'authorization_code', jti: tokens.jti, scope: stored.scope, aud: audience },
  });
  return tokens.response;
}
