/**
 * Per-route rate limits with rate-limiter-flexible: in-process by default, Redis (shared by every
 * gateway instance) when a client is given, falling back to in-process counting while Redis is
 * unreachable (an outage of the limiter must not become an outage of the gateway).
 *
 * Headers follow draft-ietf-httpapi-ratelimit-headers (structured fields):
 *   RateLimit-Policy: "route";q=100;w=60      RateLimit: "route";r=42;t=17
 */
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { RateLimitSpec } from '../routes/route-schema.js';

export interface LimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export interface RouteLimiter {
  readonly spec: RateLimitSpec;
  consume(key: string): Promise<LimitDecision>;
}

export interface LimiterFactory {
  create(routeName: string, spec: RateLimitSpec): RouteLimiter;
}

export function createLimiterFactory(options: {
  redis?: Redis | undefined;
  onStoreError?: (error: unknown) => void;
}): LimiterFactory {
  return {
    create(routeName, spec) {
      // The policy is part of the key prefix: a reloaded table with new numbers starts fresh windows.
      const keyPrefix = `rampart:gw:rl:${routeName}:${spec.points}:${spec.durationSec}`;
      const memory = new RateLimiterMemory({ points: spec.points, duration: spec.durationSec, keyPrefix });
      const limiter: RateLimiterAbstract = options.redis
        ? new RateLimiterRedis({
            storeClient: options.redis,
            points: spec.points,
            duration: spec.durationSec,
            keyPrefix,
            rejectIfRedisNotReady: true,
            insuranceLimiter: memory,
          })
        : memory;
      const name = `"${quote(routeName)}"`;
      const policy = `${name};q=${spec.points};w=${spec.durationSec}`;
      const headers = (remaining: number, msBeforeNext: number): Record<string, string> => ({
        'ratelimit-policy': policy,
        ratelimit: `${name};r=${Math.max(0, remaining)};t=${Math.ceil(msBeforeNext / 1000)}`,
      });
      const allowed = (res: RateLimiterRes): LimitDecision => ({
        allowed: true,
        headers: headers(res.remainingPoints, res.msBeforeNext),
      });
      const refused = (rejection: unknown): LimitDecision => {
        if (rejection instanceof RateLimiterRes) {
          const retryAfter = String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
          return {
            allowed: false,
            headers: { ...headers(0, rejection.msBeforeNext), 'retry-after': retryAfter },
          };
        }
        // Store failure with no insurance left: count it, let the request through.
        options.onStoreError?.(rejection);
        return { allowed: true, headers: {} };
      };
      return {
        spec,
        // One promise step per request (this runs on every limited request).
        consume: (key) => limiter.consume(key, 1).then(allowed, refused),
      };
    },
  };
}

function quote(name: string): string {
  return name.replace(/["\\]/g, '');
}
