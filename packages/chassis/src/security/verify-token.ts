/**
 * `createTokenVerifier()`: verifies RFC 9068 JWT access tokens against the issuer's JWKS.
 *
 * What is checked, in order: size and compact-JWS shape; header — no `jwk`/`jku`/`x5u`/`x5c`/
 * `crit` (RFC 8725 §3.10: never fetch or trust keys named by the token); the key — looked up by
 * `kid` in our own cached key set only, and the token's `alg` must be one that key was published
 * for (the allow-list comes from the JWKS, never the token, so `none` and HS256-with-a-public-key
 * cannot pass); signature; `typ` is `at+jwt` (RFC 9068 §4); exact `iss`; `aud` contains ours;
 * `exp`/`nbf` with a small clock tolerance; `sub`, `client_id`, `iat`, `jti` present (RFC 9068 §2.2).
 */
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTHeaderParameters } from 'jose';
import type { FetchLike } from './fetch-json.js';
import { createKeyStore, type KeyStore } from './key-store.js';
import { principalFromClaims, type Principal } from './principal.js';
import { VerifiedTokenCache, tokenHash } from './token-cache.js';
import { TokenError, invalidToken } from './token-error.js';

export interface TokenVerifierOptions {
  /** The exact `iss` value (RFC 9068 §4 step 3). */
  issuer: string;
  /** This service's resource identifier; must appear in `aud`. */
  audience: string;
  /** Default: discovered from `${issuer}/.well-known/openid-configuration`. */
  jwksUri?: string;
  /** Clock skew allowed on `exp`/`nbf` (default 30 s). */
  clockToleranceSec?: number;
  /** Timeout of each discovery/JWKS request (default 5000 ms). */
  fetchTimeoutMs?: number;
  /** Minimum time between two JWKS fetches (default 30 000 ms). */
  cooldownMs?: number;
  /** Background JWKS refresh after this age (default 10 min). */
  keysMaxAgeMs?: number;
  /** Verified-token cache size (default 10 000; 0 turns it off). */
  cacheMaxEntries?: number;
  /** Longest token accepted (default 8192 characters). */
  maxTokenLength?: number;
  /** Checked on every verification, cached or not. */
  isRevoked?: (principal: Principal) => boolean;
  fetch?: FetchLike;
  onError?: (error: unknown) => void;
}

export interface TokenVerifier {
  /** Resolves with the caller's principal, or rejects with a `TokenError`. */
  verify(token: string): Promise<Principal>;
  /**
   * The principal of a token this verifier has already verified and cached, synchronously: no
   * promise on the hot path. Undefined when the token is not cached (call `verify`); throws a
   * `TokenError` when the cached token has since been revoked.
   *
   * `connection` (the request's socket) lets the verifier remember the last token seen on that
   * connection with its cache key: a keep-alive client repeating its token then costs a string
   * comparison instead of a SHA-256.
   */
  cached(token: string, connection?: object): Principal | undefined;
  readonly issuer: string;
  readonly audience: string;
  /** JWKS/discovery fetch attempts so far (for tests and metrics). */
  readonly keyFetches: number;
  /** Forgets every cached verification. */
  clearCache(): void;
}

// Three base64url segments; an empty signature is an unsecured JWS and never acceptable.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'crit'] as const;
const MAX_KID_LENGTH = 256;

function checkHeader(token: string): JWTHeaderParameters {
  let header: JWTHeaderParameters;
  try {
    header = decodeProtectedHeader(token) as JWTHeaderParameters;
  } catch (error) {
    throw invalidToken('malformed', 'token header is not valid JSON', error);
  }
  for (const name of FORBIDDEN_HEADERS)
    if (name in header) throw invalidToken('forbidden_header', `header parameter ${name} is not accepted`);
  if (typeof header.alg !== 'string') throw invalidToken('malformed', 'header has no alg');
  if (header.kid !== undefined && (typeof header.kid !== 'string' || header.kid.length > MAX_KID_LENGTH))
    throw invalidToken('malformed', 'kid is not a short string');
  return header;
}

function fromJoseError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof joseErrors.JWTExpired) return invalidToken('expired', 'token expired', error);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const reason =
      error.claim === 'nbf'
        ? 'not_yet_valid'
        : error.claim === 'iss'
          ? 'wrong_issuer'
          : error.claim === 'aud'
            ? 'wrong_audience'
            : error.claim === 'typ'
              ? 'wrong_type'
              : error.reason === 'missing'
                ? 'missing_claim'
                : 'bad_claim';
    return invalidToken(reason, error.message, error);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return invalidToken('bad_signature', 'signature verification failed', error);
  return invalidToken('malformed', error instanceof Error ? error.message : 'token is invalid', error);
}

/**
 * @example
 * const verifier = createTokenVerifier({ issuer: 'http://localhost:8080', audience: 'orders' });
 * const principal = await verifier.verify(token); // throws TokenError
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  if (!/^https?:\/\//.test(options.issuer)) throw new TypeError(`invalid issuer: ${options.issuer}`);
  if (!options.audience) throw new TypeError('invalid audience: empty');
  const tolerance = options.clockToleranceSec ?? 30;
  const maxLength = options.maxTokenLength ?? 8192;
  const cache = new VerifiedTokenCache(options.cacheMaxEntries ?? 10_000);
  const keys: KeyStore = createKeyStore({
    issuer: options.issuer,
    jwksUri: options.jwksUri,
    fetch: options.fetch,
    fetchTimeoutMs: options.fetchTimeoutMs,
    cooldownMs: options.cooldownMs,
    maxAgeMs: options.keysMaxAgeMs,
    onError: options.onError,
    onKeysRemoved: (kids) => cache.evictKids(kids),
  });

  const lookup = (hash: string) => cache.get(hash, Math.floor(Date.now() / 1000));

  // The last token per connection and its cache key. The raw token stays with the connection that
  // sent it (and goes with it): it is never a key of the shared cache.
  const lastOnConnection = new WeakMap<object, { token: string; hash: string }>();
  const cacheKey = (token: string, connection: object | undefined): string => {
    if (connection === undefined) return tokenHash(token);
    const last = lastOnConnection.get(connection);
    if (last !== undefined && last.token === token) return last.hash;
    const hash = tokenHash(token);
    if (last === undefined) lastOnConnection.set(connection, { token, hash });
    else {
      last.token = token;
      last.hash = hash;
    }
    return hash;
  };

  function refuseRevoked(principal: Principal): Principal {
    if (options.isRevoked?.(principal)) throw invalidToken('revoked', 'token has been revoked');
    return principal;
  }

  async function verifyUncached(token: string, hash: string): Promise<Principal> {
    const header = checkHeader(token);
    const { key, alg, kid } = await keys.resolve(header);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [alg],
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt', // RFC 9068 §4: compared case-insensitively, "application/" prefix allowed
        clockTolerance: tolerance,
        requiredClaims: ['exp', 'iat', 'sub', 'client_id', 'jti'],
      }));
    } catch (error) {
      throw fromJoseError(error);
    }
    const principal = principalFromClaims(payload, token);
    cache.set(hash, principal, kid);
    return principal;
  }

  return {
    issuer: options.issuer,
    audience: options.audience,
    get keyFetches() {
      return keys.fetches;
    },
    clearCache: () => cache.clear(),
    cached(token, connection) {
      // Nothing cached (cold, or the cache is off): no hash to compute before `verify` does.
      if (cache.size === 0 || typeof token !== 'string' || token.length > maxLength) return undefined;
      // Only fully verified tokens are cached, so a hit needs no syntax check of its own.
      const principal = lookup(cacheKey(token, connection));
      return principal && refuseRevoked(principal);
    },
    async verify(token) {
      if (typeof token !== 'string' || token.length > maxLength)
        throw invalidToken('too_large', `token longer than ${maxLength} characters`);
      const hash = tokenHash(token);
      const cached = lookup(hash);
      if (cached) return refuseRevoked(cached);
      if (!COMPACT_JWS.test(token)) throw invalidToken('malformed', 'not a compact JWS');
      return refuseRevoked(await verifyUncached(token, hash));
    },
  };
}
