/**
 * Verified tokens, keyed by SHA-256 of the token, kept until the token's `exp` — never longer —
 * in a bounded LRU. The raw token is never a key, so a heap dump of the map keys reveals nothing.
 */
import { hash } from 'node:crypto';
import type { Principal } from './principal.js';

interface Entry {
  principal: Principal;
  kid: string | undefined;
}

export function tokenHash(token: string): string {
  // One-shot hashing: half the cost of a Hash object, on every authenticated request.
  return hash('sha256', token, 'base64url');
}

export class VerifiedTokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(hash: string, nowSec: number): Principal | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    this.#entries.delete(hash);
    if (entry.principal.expiresAt <= nowSec) return undefined;
    this.#entries.set(hash, entry); // most recently used goes last
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
    this.#entries.set(hash, { principal, kid });
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
