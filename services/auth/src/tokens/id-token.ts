/** ID tokens per OpenID Connect Core §2 and §3.1.3.3 (`at_hash`), signed with the current key. */
import { createHash } from 'node:crypto';
import type { SigningKey } from '../keys/signing-key.js';
import type { UserRecord } from '../users/user-store.js';

export interface IdTokenInput {
  issuer: string;
  user: UserRecord;
  clientId: string;
  scope: string;
  nonce: string | null;
  authTime: number | null;
  accessToken: string;
  sessionId: string | null;
  ttlSeconds: number;
}

/** OIDC Core §3.1.3.6: left half of the hash of the access token, with the JWS alg's hash. */
export function atHash(accessToken: string, alg: SigningKey['alg']): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export function issueIdToken(key: SigningKey, input: IdTokenInput, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  const scopes = new Set(input.scope.split(' '));
  const claims = {
    iss: input.issuer,
    sub: input.user.id,
    aud: input.clientId,
    exp: iat + input.ttlSeconds,
    iat,
    ...(input.authTime != null ? { auth_time: input.authTime } : {}),
    ...(input.nonce ? { nonce: input.nonce } : {}),
    ...(input.sessionId ? { sid: input.sessionId } : {}),
    at_hash: atHash(input.accessToken, key.alg),
    // OIDC Core §5.4: standard claims by scope.
    ...(scopes.has('profile')
      ? { preferred_username: input.user.username, ...(input.user.name ? { name: input.user.name } : {}) }
      : {}),
    ...(scopes.has('email') && input.user.email ? { email: input.user.email } : {}),
  };
  return key.signJwt(claims, { typ: 'JWT' });
}
