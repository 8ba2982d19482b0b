/** How long to wait before restarting a service that exited unexpectedly. */
export interface BackoffPolicy {
  /** Delay before the first restart. */
  readonly initialMs: number;
  /** The delay doubles on each consecutive crash up to this ceiling. */
  readonly maxMs: number;
  /** A child that stayed up at least this long starts again from `initialMs`. */
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({
  initialMs: 250,
  maxMs: 30_000,
  resetAfterMs: 30_000,
});

/**
 * Delay before restart number `attempt` (0 for the first restart after a good run):
 * `initialMs · 2^attempt`, capped at `maxMs`.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  // 2 ** 1100 is Infinity, which Math.min handles; the cap keeps timers finite.
  return Math.min(policy.initialMs * 2 ** attempt, policy.maxMs);
}
