/**
 * Per-route rate limits: fixed windows counted in-process by default, or in Redis (shared by every
 * gateway instance, with rate-limiter-flexible) when a client is given, falling back to in-process
 * counting while Redis is unreachable (an outage of the limiter must not become an outage of the
 * gateway).
 *
 * Headers follow draft-ietf-httpapi-ratelimit-headers (structured fields):
 *   RateLimit-Policy: "route";q=100;w=60      RateLimit: "route";r=42;t=17
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitSpec } from '../routes/route-schema.js';

export interface LimitDecision {
  allowed: boolean;
  /** `RateLimit-Policy`, `RateLimit`, and on a refusal `Retry-After`; empty when the store failed. */
  headers: Record<string, string>;
}

export interface RouteLimiter {
  readonly spec: RateLimitSpec;
  /** Synchronous with the in-process store (no promise per request); a promise with Redis. */
  consume(key: string): LimitDecision | Promise<LimitDecision>;
}

export interface LimiterFactory {
  create(routeName: string, spec: RateLimitSpec): RouteLimiter;
}

interface Window {
  consumed: number;
  /** Epoch ms at which the window ends and the count starts again. */
  resetAt: number;
}

/**
 * Fixed windows per key, counted in this process: a key's first request opens a window of
 * `durationMs`, and requests beyond `points` within it are refused — the counting of
 * rate-limiter-flexible's RateLimiterMemory, without its promise and timer per key (measured: the
 * promise alone was a visible share of a rate-limited request's cost in `bench/gateway`).
 * Expired windows are swept once per window length, so keys that stop coming leave nothing behind.
 */
export class InProcessWindows {
  readonly #windows = new Map<string, Window>();
  readonly #durationMs: number;
  #sweepAt = 0;

  constructor(durationSec: number) {
    this.#durationMs = durationSec * 1000;
  }

  /** Keys with a window open (expired ones go at the next sweep). */
  get size(): number {
    return this.#windows.size;
  }

  /**
   * Counts one request for `key` at `now` (epoch ms); the window it was counted in (read it before
   * the next call).
   */
  consume(key: string, now: number): Readonly<Window> {
    if (now >= this.#sweepAt) this.#sweep(now);
    let window = this.#windows.get(key);
    if (window === undefined) {
      window = { consumed: 0, resetAt: now + this.#durationMs };
      this.#windows.set(key, window);
    } else if (window.resetAt <= now) {
      window.consumed = 0;
      window.resetAt = now + this.#durationMs;
    }
    window.consumed++;
    return window;
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
    this.#sweepAt = now + this.#durationMs;
  }
}

export function createLimiterFactory(options: {
  redis?: Redis | undefined;
  onStoreError?: (error: unknown) => void;
  /** The clock of the in-process windows (tests). */
  now?: () => number;
}): LimiterFactory {
  return {
    create(routeName, spec) {
      const name = `"${quote(routeName)}"`;
      const policy = `${name};q=${spec.points};w=${spec.durationSec}`;
      const headers = (remaining: number, msBeforeNext: number): Record<string, string> => ({
        'ratelimit-policy': policy,
        ratelimit: `${name};r=${Math.max(0, remaining)};t=${Math.ceil(msBeforeNext / 1000)}`,
      });
      const refusal = (msBeforeNext: number): LimitDecision => ({
        allowed: false,
        headers: {
          ...headers(0, msBeforeNext),
          'retry-after': String(Math.max(1, Math.ceil(msBeforeNext / 1000))),
        },
      });

      if (!options.redis) {
        const windows = new InProcessWindows(spec.durationSec);
        const clock = options.now ?? Date.now;
        return {
          spec,
          consume: (key) => {
            const now = clock();
            const window = windows.consume(key, now);
            const msBeforeNext = window.resetAt - now;
            return window.consumed > spec.points
              ? refusal(msBeforeNext)
              : { allowed: true, headers: headers(spec.points - window.consumed, msBeforeNext) };
          },
        };
      }

      // The policy is part of the key prefix: a reloaded table with new numbers starts fresh windows.
      const keyPrefix = `rampart:gw:rl:${routeName}:${spec.points}:${spec.durationSec}`;
      const limiter = new RateLimiterRedis({
        storeClient: options.redis,
        points: spec.points,
        duration: spec.durationSec,
        keyPrefix,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({
          points: spec.points,
          duration: spec.durationSec,
          keyPrefix,
        }),
      });
      const allowed = (res: RateLimiterRes): LimitDecision => ({
        allowed: true,
        headers: headers(res.remainingPoints, res.msBeforeNext),
      });
      const refused = (rejection: unknown): LimitDecision => {
        if (rejection instanceof RateLimiterRes) return refusal(rejection.msBeforeNext);
        // Store failure with no insurance left: count it, let the request through.
        options.onStoreError?.(rejection);
        return { allowed: true, headers: {} };
      };
      return { spec, consume: (key) => limiter.consume(key, 1).then(allowed, refused) };
    },
  };
}

function quote(name: string): string {
  return name.replace(/["\\]/g, '');
}
