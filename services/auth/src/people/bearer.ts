/**
 * Bearer tokens on the people side's APIs (/userinfo, /admin): our own access tokens, verified by
 * the token side (signature, issuer, expiry, `typ: at+jwt`, not revoked). Challenges per RFC 6750 §3.
 */
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../context.js';
import type { AccessTokenClaims } from '../tokens/access-token.js';

export type BearerResult =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; status: 400 | 401; error?: 'invalid_request' | 'invalid_token'; description: string };

/** RFC 6750 §3: `Bearer realm="…"` plus the error, when there is one. */
export function challenge(realm: string, error?: string, description?: string): string {
  const parts = [`realm="${realm.replace(/["\\]/g, '')}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, '')}"`);
  return `Bearer ${parts.join(', ')}`;
}

export async function authenticateBearer(
  context: AuthContext,
  request: FastifyRequest,
): Promise<BearerResult> {
  const header = request.headers.authorization;
  if (header === undefined || header === '')
    return { ok: false, status: 401, description: 'no access token' };
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
  if (!match?.[1])
    return {
      ok: false,
      status: 400,
      error: 'invalid_request',
      description: 'malformed Authorization header',
    };
  const claims = match[1].length <= 8192 ? await context.verifyAccessToken(match[1]) : undefined;
  if (!claims)
    return { ok: false, status: 401, error: 'invalid_token', description: 'the access token is not valid' };
  return { ok: true, claims };
}

export function scopesOf(claims: AccessTokenClaims): string[] {
  return (claims.scope ?? '').split(' ').filter((s) => s !== '');
}
