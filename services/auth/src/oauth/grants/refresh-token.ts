/**
 * RFC 6749 §6 with rotation (RFC 9700 §4.14.2): every use returns a new refresh token; a rotated
 * token presented again revokes its whole family — unless it comes within the grace window, when
 * it is a concurrent retry (a lost response, two tabs) and receives the same new tokens.
 */
import type { FastifyRequest } from 'fastify';
import type { Client } from '../../clients/client.js';
import type { AuthContext } from '../../context.js';
import { seal, unseal } from '../../keys/seal.js';
import { revokeFamilies } from '../../tokens/families.js';
import { findRefreshToken, rotateRefreshToken, type RefreshTokenState } from '../../tokens/refresh-tokens.js';
import { InvalidGrant } from '../errors.js';
import type { FormParams } from '../parse-form.js';
import { narrowScope, resolveAudience, splitScope } from './grant-helpers.js';
import { defaultAudienceOf } from './grant-helpers.js';
import type { TokenResponse } from './token-response.js';
import { issueUserTokens } from './user-tokens.js';

export async function refreshTokenGrant(
  context: AuthContext,
  client: Client,
  params: FormParams,
  request: FastifyRequest,
): Promise<TokenResponse> {
  const presented = params.require('refresh_token');
  const state = await findRefreshToken(context.db, presented);
  // RFC 6749 §6: bound to the client it was issued to.
  if (!state || state.family.clientId !== client.clientId) throw new InvalidGrant('invalid refresh token');
  const now = Date.now();
  if (state.family.revokedAt !== null) throw new InvalidGrant('refresh token revoked');
  if (state.rotatedAt !== null) return retryOrReuse(context, client, state, request, now);
  if (state.expiresAt <= now || state.family.absoluteExpiresAt <= now)
    throw new InvalidGrant('refresh token expired');

  const user = state.family.userId ? await context.users.findById(state.family.userId) : undefined;
  if (!user || user.disabled) {
    await revokeFamilies(context.db, context.revocations, { familyId: state.familyId }, 'user inactive', now);
    throw new InvalidGrant('the user is not active');
  }
  // RFC 6749 §6: never broader than the original grant; the new refresh token keeps its scope.
  const scope = narrowScope(params.get('scope'), splitScope(state.scope));
  const granted = state.family.resource;
  const audience = resolveAudience(
    params,
    granted ?? client.audiences,
    granted ?? defaultAudienceOf(client, context.config.defaultAudience),
  );

  const tokens = await issueUserTokens(
    context,
    {
      client,
      user,
      scope,
      audience,
      authTime: state.family.authTime,
      sessionId: state.family.sessionId,
      nonce: null,
      withRefreshToken: true,
    },
    now,
  );
  const childToken = tokens.refreshToken as string;
  const won = await rotateRefreshToken(
    context.db,
    {
      parentHash: state.tokenHash,
      child: {
        familyId: state.familyId,
        parentHash: state.tokenHash,
        scope: state.scope,
        expiresAt: Math.min(
          now + context.config.refreshTokenIdleSeconds * 1000,
          state.family.absoluteExpiresAt,
        ),
      },
      childToken,
      sealedResult: seal(context.masterKey, JSON.stringify(tokens.response), state.tokenHash),
      accessToken: { jti: tokens.jti, expiresAt: tokens.accessTokenExpiresAt },
    },
    now,
  );
  if (!won) {
    // Another request rotated it first: read what it committed.
    const after = await findRefreshToken(context.db, presented);
    if (!after || after.rotatedAt === null) throw new InvalidGrant('invalid refresh token');
    return retryOrReuse(context, client, after, request, Date.now());
  }
  await context.audit(request, 'token.refreshed', {
    actor: { sub: user.id, clientId: client.clientId, kind: 'user' },
    resource: `family:${state.familyId}`,
    details: { jti: tokens.jti, scope: scope.join(' ') },
  });
  return tokens.response;
}

async function retryOrReuse(
  context: AuthContext,
  client: Client,
  state: RefreshTokenState,
  request: FastifyRequest,
  now: number,
): Promise<TokenResponse> {
  const graceMs = context.config.refreshReuseGraceSeconds * 1000;
  if (state.rotatedAt !== null && state.rotationResult && now - state.rotatedAt <= graceMs) {
    await context.audit(request, 'token.refresh_retry', {
      actor: { sub: state.family.userId ?? undefined, clientId: client.clientId, kind: 'user' },
      resource: `family:${state.familyId}`,
    });
    return JSON.parse(unseal(context.masterKey, state.rotationResult, state.tokenHash)) as TokenResponse;
  }
  const revoked = await revokeFamilies(
    context.db,
    context.revocations,
    { familyId: state.familyId },
    'refresh token reuse',
    now,
  );
  await context.audit(request, 'token.refresh_reuse_detected', {
    outcome: 'denied',
    actor: { sub: state.family.userId ?? undefined, clientId: client.clientId, kind: 'user' },
    resource: `family:${state.familyId}`,
    details: { revoked_families: revoked },
  });
  throw new InvalidGrant('refresh token already used; the grant is revoked');
}
