import { StoreError } from '../errors.js';
import { maskUrl } from '../mask-url.js';
import { MemorySharedState } from './memory.js';
import { openRedisSharedState } from './redis.js';
import type { SharedState } from './shared-state.js';

/**
 * What {@link openSharedState} needs.
 *
 * @example
 * ```ts
 * const options: OpenSharedStateOptions = { url: process.env.REDIS_URL, prefix: 'gateway', onError: (e) => log.warn(e) };
 * ```
 */
export interface OpenSharedStateOptions {
  /** `redis://…` or `rediss://…`; unset (or empty) for in-process state. */
  url?: string | undefined;
  /** Prefix of every Redis key and channel (`prefix:key`), so services sharing a Redis never collide. */
  prefix: string;
  /**
   * Called with errors no caller is waiting for: Redis connection errors while ioredis
   * reconnects, and exceptions thrown by subscription handlers. Default: `process.emitWarning`.
   */
  onError?: (error: Error) => void;
}

/**
 * Opens the state a service's instances share: in-process without a URL, Redis with one.
 *
 * @throws {StoreError} `STORE_ERR_BAD_URL` for a malformed URL, `STORE_ERR_UNREACHABLE` when Redis
 *   does not answer within about two seconds.
 * @example
 * ```ts
 * const state = await openSharedState({ url: process.env.REDIS_URL, prefix: 'gateway' });
 * const { value, ttlMs } = await state.increment(`rate:${clientId}`, 1, 60_000);
 * if (value > 100) reply.header('retry-after', Math.ceil(ttlMs / 1000)).code(429);
 * const stop = await state.subscribe('revoked', (jti) => revoked.add(jti));
 * ```
 */
export async function openSharedState(options: OpenSharedStateOptions): Promise<SharedState> {
  if (options.prefix === '') throw new RangeError('invalid prefix "": expected a non-empty string');
  const onError = options.onError ?? ((error: Error) => process.emitWarning(error));
  if (options.url === undefined || options.url === '') return new MemorySharedState({ onError });

  const { url } = options;
  const bad = (why: string) =>
    new StoreError('STORE_ERR_BAD_URL', `invalid shared state url "${maskUrl(url)}": ${why}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw bad("not a URL; expected 'redis://[user:password@]host[:port][/db]' or 'rediss://…'");
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw bad(
      "expected 'redis://[user:password@]host[:port][/db]' or 'rediss://…', or no URL for in-process state",
    );
  }
  if (parsed.hostname === '') throw bad('missing host');
  if (!/^\/?\d*$/.test(parsed.pathname))
    throw bad(`invalid database "${parsed.pathname}": expected a number`);
  return openRedisSharedState(url, {
    prefix: options.prefix,
    address: `${parsed.hostname}:${parsed.port || '6379'}`,
    onError,
  });
}
