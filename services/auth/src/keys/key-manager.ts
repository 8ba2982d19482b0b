/**
 * Keeps the signing keys of every instance in step with the database: the key that signs now,
 * the JWKS (next + active + retired keys still verifying), promotion of a `next` key once it has
 * been published long enough, retirement of the previous one, and automatic rotation.
 */
import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { TokenTables } from '../db/tables.js';
import { insertKey, readKeys, rotateKeys, type StoredKey } from './key-store.js';
import type { MasterKey } from './master-key.js';
import type { SigningAlg, SigningKey } from './signing-key.js';

export interface KeyManagerOptions {
  alg: SigningAlg;
  /** A new key is published this long before it signs (≥ JWKS max-age + refresh interval). */
  publicationMs: number;
  /** Automatic rotation period; 0 disables it. */
  rotationMs: number;
  /** The longest lifetime of anything a key signs (access and ID tokens). */
  maxTokenLifetimeMs: () => Promise<number>;
  /** How often an instance re-reads the keys (other instances and the CLI rotate too). */
  refreshMs?: number;
  onError?: (error: unknown) => void;
}

export class KeyManager {
  #current: SigningKey | undefined;
  #jwks: { keys: JWK[] } = { keys: [] };
  #loaded = new Map<string, SigningKey>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<TokenTables>,
    private readonly master: MasterKey,
    private readonly options: KeyManagerOptions,
  ) {}

  /** The key that signs now. */
  get signer(): SigningKey {
    if (!this.#current) throw new Error('signing keys are not loaded');
    return this.#current;
  }

  get jwks(): { keys: JWK[] } {
    return this.#jwks;
  }

  /** Loads (on first start: creates) the keys and re-reads them periodically. */
  async start(): Promise<void> {
    await this.refresh();
    const every = this.options.refreshMs ?? 30_000;
    this.#timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.options.onError?.(error));
    }, every);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Publishes a new `next` key (promoted after the publication delay). */
  async rotate(now = Date.now()): Promise<{ kid: string; created: boolean }> {
    const result = await rotateKeys(this.db, { masterKey: this.master, alg: this.options.alg, now });
    await this.refresh(now);
    return result;
  }

  async refresh(now = Date.now()): Promise<void> {
    let keys = await readKeys(this.db, this.master);
    if (!keys.some((k) => k.state === 'active')) {
      // First start: nothing can have cached a JWKS yet, so the first key signs at once.
      const waiting = keys.find((k) => k.state === 'next');
      if (waiting) await this.promote(waiting.kid, now);
      else await insertKey(this.db, this.master, this.options.alg, 'active', now);
      keys = await readKeys(this.db, this.master);
    }
    const due = keys.find((k) => k.state === 'next' && k.createdAt + this.options.publicationMs <= now);
    if (due && (await this.promote(due.kid, now))) keys = await readKeys(this.db, this.master);

    const active = newestActive(keys);
    if (!active) throw new Error('no active signing key');
    // Two instances starting together may both have created a first key: keep the newest.
    if (keys.some((k) => k.state === 'active' && k.kid !== active.kid)) {
      await this.retireAllBut(active.kid, now);
      keys = await readKeys(this.db, this.master);
    }
    const rotationDue =
      this.options.rotationMs > 0 &&
      (active.activatedAt ?? active.createdAt) + this.options.rotationMs <= now;
    if (rotationDue && !keys.some((k) => k.state === 'next')) {
      await rotateKeys(this.db, { masterKey: this.master, alg: this.options.alg, now });
      keys = await readKeys(this.db, this.master);
    }
    await this.db
      .deleteFrom('signing_keys')
      .where('state', '=', 'retired')
      .where('remove_after', '<=', now)
      .execute();

    const published = keys.filter((k) => k.state !== 'retired' || (k.removeAfter ?? 0) > now);
    this.#jwks = { keys: published.map((k) => k.publicJwk) };
    this.#current = this.load(active);
  }

  private load(key: StoredKey): SigningKey {
    let loaded = this.#loaded.get(key.kid);
    if (!loaded) {
      loaded = key.load();
      this.#loaded.set(key.kid, loaded);
    }
    return loaded;
  }

  /** Conditional: only one instance promotes a given key. */
  private async promote(kid: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('signing_keys')
      .set({ state: 'active', activated_at: now })
      .where('kid', '=', kid)
      .where('state', '=', 'next')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.retireAllBut(kid, now);
    return true;
  }

  /** A retired key stays published until everything it signed has expired. */
  private async retireAllBut(kid: string, now: number): Promise<void> {
    const keep = (await this.options.maxTokenLifetimeMs()) + this.options.publicationMs;
    await this.db
      .updateTable('signing_keys')
      .set({ state: 'retired', retired_at: now, remove_after: now + keep })
      .where('state', '=', 'active')
      .where('kid', '!=', kid)
      .execute();
  }
}

function newestActive(keys: StoredKey[]): StoredKey | undefined {
  return keys
    .filter((k) => k.state === 'active')
    .sort((a, b) => (b.activatedAt ?? 0) - (a.activatedAt ?? 0) || (a.kid < b.kid ? -1 : 1))[0];
}
