/**
 * Verified tokens, keyed by SHA-256 of the token (a fixed-size key, whatever the token's length),
 * kept until the token's `exp` — never longer — in a bounded, approximately least-recently-used
 * map. The verifier remembers each connection's last token with its key, so a keep-alive client
 * repeating its token is not hashed again.
 */
import { hash } from 'node:crypto';
import type { Principal } from './principal.js';

interface Entry {
  principal: Principal;
  kid: string | undefined;
  /** When it last moved to the recent end, counted in moves. */
  seq: number;
}

export function tokenHash(token: string): string {
  // One-shot hashing: half the cost of a Hash object, on every authenticated request.
  return hash('sha256', token, 'base64url');
}

export class VerifiedTokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  #seq = 0;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(hash: string, nowSec: number): Principal | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (entry.principal.expiresAt <= nowSec) {
      this.#entries.delete(hash);
      return undefined;
    }
    // Recently used entries go last, so eviction (from the front) takes the least recently used.
    // An entry already among the last quarter moved stays put: a hot token costs one lookup per
    // hit instead of a delete and an insert.
    if (this.#seq - entry.seq > this.#max >> 2) {
      this.#entries.delete(hash);
      entry.seq = ++this.#seq;
      this.#entries.set(hash, entry);
    }
    return entry.principal;
  }

  set(hash: string, principal: Principal, kid: string | undefined): void {
    if (this.#max <= 0) return;
    this.#entries.delete(hash);
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(hash, { principal, kid, seq: ++this.#seq });
  }

  /** Drops tokens signed by keys the issuer no longer publishes (rotated out or compromised). */
  evictKids(kids: readonly string[]): void {
    const gone = new Set(kids);
    for (const [hash, entry] of this.#entries)
      if (entry.kid && gone.has(entry.kid)) this.#entries.delete(hash);
  }

  clear(): void {
    this.#entries.clear();
  }
}
