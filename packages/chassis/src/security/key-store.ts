/**
 * The issuer's signing keys, cached. Keys come only from the JWKS we fetch ourselves (discovered
 * from `${issuer}/.well-known/openid-configuration` unless `jwksUri` is given); a token's `kid`
 * is only ever a lookup key in that set.
 *
 * Fetch policy: at most one fetch per `cooldownMs` (so a flood of unknown `kid`s costs the auth
 * server at most one request per cool-down), single-flight, and a failed fetch keeps the keys we
 * have. With no keys at all, retries are allowed every `min(cooldownMs, 2 s)` so a service that
 * started before the auth server recovers quickly.
 */
import { importJWK, type CryptoKey, type JWK, type JWTHeaderParameters } from 'jose';
import { fetchJson, type FetchLike } from './fetch-json.js';
import { TokenError, invalidToken } from './token-error.js';

export interface KeyStoreOptions {
  issuer: string;
  jwksUri?: string | undefined;
  fetch?: FetchLike | undefined;
  /** Per-request timeout (default 5000 ms). */
  fetchTimeoutMs?: number | undefined;
  /** Minimum time between two fetches (default 30 000 ms). */
  cooldownMs?: number | undefined;
  /** Keys older than this are refreshed in the background (default 10 min). */
  maxAgeMs?: number | undefined;
  onError?: ((error: unknown) => void) | undefined;
  /** Called with the key ids that disappeared in a refresh (the token cache evicts them). */
  onKeysRemoved?: ((kids: string[]) => void) | undefined;
}

export interface ResolvedKey {
  kid: string | undefined;
  alg: string;
  key: CryptoKey;
}

interface StoredKey {
  kid: string | undefined;
  /** Every alg this key may verify; from `alg`, or inferred from the key type when absent. */
  algs: Map<string, CryptoKey>;
}

const MAX_JWKS_BYTES = 256 * 1024;
const MAX_KEYS = 100;
// Asymmetric signature algorithms only: a public JWKS never holds HMAC keys, and `none` is no algorithm.
const SUPPORTED = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

function inferAlgs(jwk: JWK): string[] {
  if (typeof jwk.alg === 'string') return SUPPORTED.has(jwk.alg) ? [jwk.alg] : [];
  switch (jwk.kty) {
    case 'RSA':
      return ['RS256'];
    case 'EC':
      return jwk.crv === 'P-256'
        ? ['ES256']
        : jwk.crv === 'P-384'
          ? ['ES384']
          : jwk.crv === 'P-521'
            ? ['ES512']
            : [];
    case 'OKP':
      return jwk.crv === 'Ed25519' ? ['EdDSA', 'Ed25519'] : [];
    default:
      return [];
  }
}

function publicPart(jwk: JWK): JWK {
  const { kty, crv, n, e, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, n, e, x, y }).filter(([, v]) => v !== undefined));
}

async function importKeys(body: unknown): Promise<StoredKey[]> {
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('JWKS has no "keys" array');
  const stored: StoredKey[] = [];
  for (const raw of keys.slice(0, MAX_KEYS) as JWK[]) {
    if (typeof raw !== 'object' || raw === null) continue;
    if (raw.use !== undefined && raw.use !== 'sig') continue;
    if (raw.key_ops !== undefined && !raw.key_ops.includes('verify')) continue;
    if (raw.d !== undefined) continue; // a private key published by mistake is not one we trust
    const kid = typeof raw.kid === 'string' ? raw.kid : undefined;
    const algs = new Map<string, CryptoKey>();
    for (const alg of inferAlgs(raw)) {
      try {
        // importJWK checks that the key type fits the algorithm (alg/key-type mismatch fails here).
        algs.set(alg, (await importJWK(publicPart(raw), alg)) as CryptoKey);
      } catch {
        // an unusable key is skipped, not fatal: the others still verify
      }
    }
    if (algs.size > 0) stored.push({ kid, algs });
  }
  return stored;
}

export interface KeyStore {
  /** The key for this header, refetching at most once per cool-down for an unknown `kid`. */
  resolve(header: JWTHeaderParameters): Promise<ResolvedKey>;
  /** Number of JWKS (and discovery) fetch attempts so far. */
  readonly fetches: number;
}

export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const cooldownMs = options.cooldownMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const timeoutMs = options.fetchTimeoutMs ?? 5000;
  const issuer = options.issuer.replace(/\/+$/, '');
  let jwksUri = options.jwksUri;
  let keys: StoredKey[] = [];
  let loadedAt = 0;
  let lastAttempt = -Infinity;
  let inflight: Promise<void> | undefined;
  let fetches = 0;

  async function discover(): Promise<string> {
    // RFC 8414 §3 / OIDC Discovery §4: the metadata's issuer must be exactly ours (§3.3).
    const metadata = (await fetchJson(`${issuer}/.well-known/openid-configuration`, {
      fetch: options.fetch,
      timeoutMs,
      maxBytes: MAX_JWKS_BYTES,
    })) as { issuer?: unknown; jwks_uri?: unknown };
    if (metadata.issuer !== options.issuer && metadata.issuer !== issuer)
      throw new Error(`discovery: issuer ${String(metadata.issuer)} is not ${options.issuer}`);
    if (typeof metadata.jwks_uri !== 'string') throw new Error('discovery: no jwks_uri');
    return metadata.jwks_uri;
  }

  async function load(): Promise<void> {
    lastAttempt = Date.now();
    fetches++;
    try {
      jwksUri ??= await discover();
      const next = await importKeys(
        await fetchJson(jwksUri, { fetch: options.fetch, timeoutMs, maxBytes: MAX_JWKS_BYTES }),
      );
      const removed = keys
        .map((k) => k.kid)
        .filter((kid): kid is string => !!kid && !next.some((n) => n.kid === kid));
      keys = next;
      loadedAt = Date.now();
      if (removed.length > 0) options.onKeysRemoved?.(removed);
    } catch (error) {
      options.onError?.(error);
    }
  }

  function refresh(minIntervalMs: number): Promise<void> | undefined {
    if (inflight) return inflight;
    if (Date.now() - lastAttempt < minIntervalMs) return undefined;
    inflight = load().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  function find(header: JWTHeaderParameters): StoredKey | undefined | 'ambiguous' {
    if (header.kid !== undefined) return keys.find((k) => k.kid === header.kid);
    const candidates = keys.filter((k) => k.algs.has(header.alg));
    return candidates.length > 1 ? 'ambiguous' : candidates[0];
  }

  return {
    get fetches() {
      return fetches;
    },
    async resolve(header) {
      if (keys.length === 0) await refresh(Math.min(cooldownMs, 2000));
      if (keys.length === 0)
        throw new TokenError('temporarily_unavailable', 'keys_unavailable', 'signing keys unavailable');
      if (Date.now() - loadedAt > maxAgeMs) void refresh(cooldownMs);
      let found = find(header);
      if (found === undefined && header.kid !== undefined) {
        await refresh(cooldownMs);
        found = find(header);
      }
      if (found === undefined)
        throw invalidToken('unknown_key', 'no key with this kid in the issuer key set');
      if (found === 'ambiguous') throw invalidToken('unknown_key', 'token has no kid and several keys match');
      // The algorithm comes from our key set: the token's alg must be one its key was published for.
      const key = found.algs.get(header.alg);
      if (!key) throw invalidToken('key_mismatch', `alg ${header.alg} is not allowed for this key`);
      return { kid: found.kid, alg: header.alg, key };
    },
  };
}
