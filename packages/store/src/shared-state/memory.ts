import { assertIncrement, assertTtl, deliver } from './shared-state.js';
import type { SharedState } from './shared-state.js';

interface Entry {
  value: string;
  /** `Date.now()` ms after which the entry is gone; Infinity for no expiry. */
  expiresAt: number;
}

export interface MemorySharedStateOptions {
  onError: (error: Error) => void;
  /** How often expired entries nobody reads again are dropped (default 30 s). */
  sweepIntervalMs?: number;
}

/**
 * In-process {@link SharedState}: a Map with lazy expiry plus a periodic sweep, so keys that are
 * never read again do not grow memory without bound. Each instance is separate; two instances
 * in one process do not share state (that is what Redis is for).
 */
export class MemorySharedState implements SharedState {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, Entry>();
  readonly #channels = new Map<string, Set<(message: string) => void>>();
  readonly #sweep: NodeJS.Timeout;
  readonly #onError: (error: Error) => void;

  constructor(options: MemorySharedStateOptions) {
    this.#onError = options.onError;
    this.#sweep = setInterval(() => this.#dropExpired(), options.sweepIntervalMs ?? 30_000);
    this.#sweep.unref();
  }

  /** Number of stored entries, expired ones not yet swept included (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<{ value: number; ttlMs: number }> {
    assertIncrement(by);
    assertTtl(ttlMs);
    const now = Date.now();
    const entry = this.#live(key, now);
    if (entry === undefined) {
      this.#entries.set(key, { value: String(by), expiresAt: now + ttlMs });
      return { value: by, ttlMs };
    }
    const current = Number(entry.value);
    if (!Number.isSafeInteger(current)) throw new TypeError(`value of ${key} is not an integer`);
    entry.value = String(current + by);
    // Like PEXPIRE NX: a key that was set without a TTL gets one; an existing window stays.
    if (entry.expiresAt === Infinity) entry.expiresAt = now + ttlMs;
    return { value: current + by, ttlMs: entry.expiresAt - now };
  }

  async get(key: string): Promise<string | null> {
    return this.#live(key, Date.now())?.value ?? null;
  }

  async set(key: string, value: string, opts?: { ttlMs?: number }): Promise<void> {
    if (opts?.ttlMs !== undefined) assertTtl(opts.ttlMs);
    this.#entries.set(key, {
      value,
      expiresAt: opts?.ttlMs === undefined ? Infinity : Date.now() + opts.ttlMs,
    });
  }

  async setIfAbsent(key: string, value: string, opts: { ttlMs: number }): Promise<boolean> {
    assertTtl(opts.ttlMs);
    const now = Date.now();
    if (this.#live(key, now) !== undefined) return false;
    this.#entries.set(key, { value, expiresAt: now + opts.ttlMs });
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#live(key, Date.now()) !== undefined;
    this.#entries.delete(key);
    return existed;
  }

  async publish(channel: string, message: string): Promise<void> {
    const handlers = this.#channels.get(channel);
    if (handlers === undefined) return;
    // Deliver later, as Redis would: a publisher never runs subscriber code on its own stack.
    for (const handler of [...handlers]) {
      setImmediate(() => {
        if (handlers.has(handler)) deliver(handler, message, this.#onError);
      });
    }
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    // A wrapper per call, so subscribing one function twice gives two independent subscriptions.
    const subscription = (message: string) => handler(message);
    let handlers = this.#channels.get(channel);
    if (handlers === undefined) this.#channels.set(channel, (handlers = new Set()));
    handlers.add(subscription);
    return async () => {
      handlers.delete(subscription);
      if (handlers.size === 0 && this.#channels.get(channel) === handlers) this.#channels.delete(channel);
    };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#entries.clear();
    this.#channels.clear();
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  #dropExpired(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
