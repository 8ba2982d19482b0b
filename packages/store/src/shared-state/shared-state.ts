/**
 * State that every instance of a service must share: rate-limit counters, replay caches, locks,
 * sessions and change notifications. In-process when one instance runs, Redis when several do.
 *
 * @example
 * ```ts
 * const state: SharedState = await openSharedState({ url: process.env.REDIS_URL, prefix: 'auth' });
 * if (!(await state.setIfAbsent(`jti:${jti}`, '1', { ttlMs: 300_000 }))) throw new Error('replayed');
 * await state.publish('revoked', jti);
 * ```
 */
export interface SharedState {
  kind: 'memory' | 'redis';
  /**
   * Atomic counter with expiry: increments `key` by `by` and starts a `ttlMs` window when the key
   * is new. Later increments never extend the window. Returns the new value and the ms until reset.
   */
  increment(key: string, by: number, ttlMs: number): Promise<{ value: number; ttlMs: number }>;
  /** Key-value with TTL (values are strings; callers JSON-encode). */
  get(key: string): Promise<string | null>;
  set(key: string, value: string, opts?: { ttlMs?: number }): Promise<void>;
  /** Set only if absent (for replay detection, single-flight locks); true when it was set. */
  setIfAbsent(key: string, value: string, opts: { ttlMs: number }): Promise<boolean>;
  /** True when the key existed. */
  delete(key: string): Promise<boolean>;
  /** Publish/subscribe; messages are strings and are delivered asynchronously. */
  publish(channel: string, message: string): Promise<void>;
  /** Resolves when the subscription is active, with a function that ends it. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function assertTtl(ttlMs: number, name = 'ttlMs'): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`invalid ${name} ${ttlMs}: expected a positive integer number of milliseconds`);
  }
}

export function assertIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) throw new RangeError(`invalid by ${by}: expected an integer`);
}

/** Runs a subscriber's handler so that its exception reaches `onError` rather than the caller. */
export function deliver(
  handler: (message: string) => void,
  message: string,
  onError: (e: Error) => void,
): void {
  try {
    handler(message);
  } catch (error) {
    onError(error instanceof Error ? error : new Error(String(error)));
  }
}
