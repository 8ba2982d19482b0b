/**
 * The start-up fetch: the config server's answer, cached as last-known-good; when the server
 * cannot answer, the cached configuration; with neither, an error that says both.
 */
import type { Dispatcher } from 'undici';
import { cacheFile, readConfigCache, writeConfigCache } from './config-cache.js';
import { requestRemoteConfig } from './request-remote-config.js';
import type { RemoteConfig, TokenSource } from './remote-config-types.js';

export interface FetchRemoteConfigOptions {
  /** The config server's base URL. */
  url: string;
  app: string;
  profile: string;
  tokenSource?: TokenSource | undefined;
  /** The service's data directory (the cache lives in `config-cache/` there). */
  cacheDir: string;
  /** 32-byte key sealing cached secrets; default: a key file in the cache directory (0600). */
  masterKey?: Buffer | undefined;
  /** Default 5000 ms. */
  timeoutMs?: number | undefined;
  dispatcher?: Dispatcher | undefined;
}

export interface FetchedRemoteConfig extends RemoteConfig {
  /** `server`: fresh; `cache`: the last-known-good because the server could not answer. */
  origin: 'server' | 'cache';
  /** When the configuration was fetched from the server (for `cache`: originally). */
  fetchedAt: string;
  /** Why the server could not be used (origin `cache`). */
  error?: string;
}

export class RemoteConfigUnavailableError extends Error {
  readonly code = 'RAMPART_ERR_CONFIG_UNAVAILABLE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RemoteConfigUnavailableError';
  }
}

/**
 * @example
 * const remote = await fetchRemoteConfig({ url: 'http://localhost:8082', app: 'orders',
 *   profile: 'production', tokenSource, cacheDir: app.dataDir });
 * if (remote.origin === 'cache') log.warn(remote.error);
 */
export async function fetchRemoteConfig(options: FetchRemoteConfigOptions): Promise<FetchedRemoteConfig> {
  const cache = { dir: options.cacheDir, key: options.masterKey };
  let failure: Error;
  try {
    const config = await requestRemoteConfig({ ...options, timeoutMs: options.timeoutMs ?? 5000 });
    if (!config) throw new Error('config server answered 304 without a conditional request');
    await writeConfigCache(cache, config);
    return { ...config, origin: 'server', fetchedAt: new Date().toISOString() };
  } catch (error) {
    failure = error as Error;
  }
  let cached: Awaited<ReturnType<typeof readConfigCache>>;
  try {
    cached = await readConfigCache(cache, options.app, options.profile);
  } catch (error) {
    throw new RemoteConfigUnavailableError(
      `${failure.message}; and the cached configuration ${cacheFile(options.cacheDir, options.app, options.profile)} is unreadable: ${(error as Error).message}`,
      { cause: failure },
    );
  }
  if (!cached)
    throw new RemoteConfigUnavailableError(
      `${failure.message}; and there is no cached configuration (${cacheFile(options.cacheDir, options.app, options.profile)}) to start from`,
      { cause: failure },
    );
  return { ...cached, origin: 'cache', error: failure.message };
}
