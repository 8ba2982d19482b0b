/**
 * The authenticated caller, built from a verified RFC 9068 access token.
 *
 * `kind` is `'service'` when `sub === client_id`: the auth server issues client-credentials
 * tokens with the client as their subject (RFC 9068 §2.2: "in case of application … sub SHOULD
 * correspond to the client_id"), and user tokens with the user's id as subject.
 */
import type { JWTPayload } from 'jose';
import { invalidToken } from './token-error.js';

export interface Principal {
  /** Subject: the user id, or the client id for a service account. */
  readonly sub: string;
  /** The OAuth client the token was issued to (`client_id`, RFC 9068 §2.2). */
  readonly clientId: string;
  /** RFC 9068 §2.2.3.1 / RFC 7643 `roles`. */
  readonly roles: readonly string[];
  /** The `scope` claim split on spaces (RFC 9068 §2.2.3). */
  readonly scopes: readonly string[];
  /** `jti` — what the revocation feed names for a single token. */
  readonly tokenId: string;
  /** `sid` — the login session, when the token belongs to one. */
  readonly sessionId?: string | undefined;
  readonly kind: 'user' | 'service';
  /** The raw access token, for propagation to other services. Never log it. */
  readonly token: string;
  /** Token issue time (`iat`), seconds since the epoch. */
  readonly issuedAt: number;
  /** Token expiry (`exp`), seconds since the epoch. */
  readonly expiresAt: number;
}

const MAX_CLAIM_LENGTH = 1024;

function stringClaim(payload: JWTPayload, name: string, required: true): string;
function stringClaim(payload: JWTPayload, name: string, required: false): string | undefined;
function stringClaim(payload: JWTPayload, name: string, required: boolean): string | undefined {
  const value = payload[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CLAIM_LENGTH)
    throw invalidToken(
      value === undefined ? 'missing_claim' : 'bad_claim',
      `claim ${name} is missing or invalid`,
    );
  return value;
}

function stringList(payload: JWTPayload, name: string): string[] {
  const value = payload[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw invalidToken('bad_claim', `claim ${name} must be an array of strings`);
  return value as string[];
}

/** Builds the principal; throws `TokenError` (invalid_token) when a required claim is unusable. */
export function principalFromClaims(payload: JWTPayload, token: string): Principal {
  const sub = stringClaim(payload, 'sub', true);
  const clientId = stringClaim(payload, 'client_id', true);
  const scope = payload.scope;
  if (scope !== undefined && (typeof scope !== 'string' || scope.length > 8 * MAX_CLAIM_LENGTH))
    throw invalidToken('bad_claim', 'claim scope must be a string');
  const sessionId = stringClaim(payload, 'sid', false);
  if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number')
    throw invalidToken('missing_claim', 'claims exp and iat are required');
  return Object.freeze({
    sub,
    clientId,
    roles: Object.freeze(stringList(payload, 'roles')),
    scopes: Object.freeze(scope ? scope.split(' ').filter(Boolean) : []),
    tokenId: stringClaim(payload, 'jti', true),
    sessionId,
    kind: sub === clientId ? 'service' : 'user',
    token,
    issuedAt: payload.iat,
    expiresAt: payload.exp,
  });
}
