/**
 * Reads an `id_token_hint` (OIDC RP-Initiated Logout 1.0 §2): an ID token we issued, checked by
 * signature and issuer against our own JWKS. Expired hints are accepted — a logout usually comes
 * after the ID token expired — so expiry is checked as of the token's own `iat`.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { AuthContext } from '../../context.js';

export interface IdTokenHint {
  sub: string;
  audiences: string[];
  sid?: string;
}

export async function readIdTokenHint(context: AuthContext, token: string): Promise<IdTokenHint | undefined> {
  try {
    if (token.length > 8192) return undefined;
    const { iat } = decodeJwt(token);
    if (typeof iat !== 'number') return undefined;
    const { payload } = await jwtVerify(token, createLocalJWKSet(context.keys.jwks), {
      issuer: context.config.issuer,
      currentDate: new Date(iat * 1000),
      requiredClaims: ['sub', 'aud', 'iat'],
    });
    // An access token is not an ID token (RFC 8725 §3.11: tell token kinds apart).
    if (payload.client_id !== undefined && payload.scope !== undefined) return undefined;
    const audiences = Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : [];
    return {
      sub: String(payload.sub),
      audiences,
      ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}),
    };
  } catch {
    return undefined;
  }
}
