/** JWT access tokens per RFC 9068, signed with the current key (no I/O). */
import { randomUUID } from 'node:crypto';
import type { SigningKey } from '../keys/signing-key.js';

export interface AccessTokenInput {
  issuer: string;
  /** The user id, or the client id for a service account (RFC 9068 §2.2). */
  sub: string;
  clientId: string;
  audience: string[];
  scope: string;
  roles: string[];
  ttlSeconds: number;
  authTime?: number | null | undefined;
  sessionId?: string | null | undefined;
}

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope?: string;
  roles: string[];
  auth_time?: number;
  sid?: string;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  claims: AccessTokenClaims;
}

export async function issueAccessToken(
  key: SigningKey,
  input: AccessTokenInput,
  now = Date.now(),
): Promise<IssuedAccessToken> {
  const iat = Math.floor(now / 1000);
  const jti = randomUUID();
  const claims: AccessTokenClaims = {
    iss: input.issuer,
    sub: input.sub,
    aud: input.audience.length === 1 ? (input.audience[0] as string) : input.audience,
    exp: iat + input.ttlSeconds,
    iat,
    jti,
    client_id: input.clientId,
    ...(input.scope ? { scope: input.scope } : {}),
    roles: input.roles,
    ...(input.authTime != null ? { auth_time: input.authTime } : {}),
    ...(input.sessionId ? { sid: input.sessionId } : {}),
  };
  // RFC 9068 §2.1: typ "at+jwt" keeps access tokens from being confused with ID tokens.
  return { token: await key.signJwt(claims, { typ: 'at+jwt' }), jti, claims };
}
