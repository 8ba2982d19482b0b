/**
 * Watches the config server for new versions: a long poll (`?after=<version>`) that the server
 * answers as soon as a newer version exists. Failures back off exponentially with jitter
 * (capped), so a config-server outage costs each service a request every few seconds, not a
 * tight loop. A version `apply` refuses is not asked for again; the next one is.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { writeConfigCache } from './config-cache.js';
import { requestRemoteConfig } from './request-remote-config.js';
import type { RemoteConfig, TokenSource } from './remote-config-types.js';

export interface WatchRemoteConfigOptions {
  url: string;
  app: string;
  profile: string;
  tokenSource?: TokenSource | undefined;
  dispatcher?: Dispatcher | undefined;
  /** The version the service runs with now. */
  version: number;
  /** Whether the server just answered (the start-up fetch): the watch counts as connected until a poll fails. */
  connected?: boolean | undefined;
  /** How long one poll may take (the server holds it ≤ 25 s); default 35 s. */
  pollTimeoutMs?: number | undefined;
  backoff?: { initialMs?: number; maxMs?: number } | undefined;
  /** Where the last-known-good is cached (written after a version is applied). */
  cache?: { dir: string; key?: Buffer | undefined } | undefined;
  /** Validates and applies a new version; throw to refuse it (the current configuration stays). */
  apply(config: RemoteConfig): Promise<void> | void;
  onRefused?(config: RemoteConfig, error: Error): void;
  /** A poll failed; the next one is in `retryInMs`. */
  onError?(error: Error, retryInMs: number): void;
  onConnected?(connected: boolean): void;
  /** A poll answered (200 or 304): the last successful contact. */
  onContact?(): void;
}

export interface RemoteConfigWatch {
  readonly connected: boolean;
  /** The newest version seen (applied or refused). */
  readonly seenVersion: number;
  stop(): Promise<void>;
}

/**
 * @example
 * const watch = watchRemoteConfig({ url, app: 'orders', profile: 'production', tokenSource,
 *   version: remote.version, apply: (next) => applyDynamicKeys(next) });
 * app.addHook('onClose', () => watch.stop());
 */
export function watchRemoteConfig(options: WatchRemoteConfigOptions): RemoteConfigWatch {
  const initialMs = options.backoff?.initialMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  const stopper = new AbortController();
  let seenVersion = options.version;
  let connected = options.connected ?? false;
  let failures = 0;

  const setConnected = (next: boolean) => {
    if (next === connected) return;
    connected = next;
    options.onConnected?.(next);
  };

  async function loop(): Promise<void> {
    while (!stopper.signal.aborted) {
      let config: RemoteConfig | undefined;
      try {
        config = await requestRemoteConfig({
          url: options.url,
          app: options.app,
          profile: options.profile,
          tokenSource: options.tokenSource,
          dispatcher: options.dispatcher,
          timeoutMs: options.pollTimeoutMs ?? 35_000,
          after: seenVersion,
          signal: stopper.signal,
        });
        failures = 0;
        setConnected(true);
        options.onContact?.();
      } catch (error) {
        if (stopper.signal.aborted) return;
        setConnected(false);
        const ceiling = Math.min(maxMs, initialMs * 2 ** failures++);
        const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
        options.onError?.(error as Error, delay);
        await sleep(delay, undefined, { signal: stopper.signal }).catch(() => undefined);
        continue;
      }
      if (!config || config.version <= seenVersion) continue;
      seenVersion = config.version;
      try {
        await options.apply(config);
      } catch (error) {
        options.onRefused?.(config, error as Error);
        continue;
      }
      // Only a configuration the service accepted becomes the last-known-good.
      if (options.cache)
        await writeConfigCache(options.cache, config).catch((error: unknown) =>
          options.onError?.(error as Error, 0),
        );
    }
  }

  const running = loop();
  return {
    get connected() {
      return connected;
    },
    get seenVersion() {
      return seenVersion;
    },
    async stop() {
      stopper.abort();
      await running;
      setConnected(false);
    },
  };
}
