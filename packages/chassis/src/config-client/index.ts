/**
 * The pull-model configuration client: fetch (with a last-known-good cache), watch, apply.
 *
 * @example
 * const remote = await startRemoteConfig(loadOptions);
 * const loaded = loadConfig({ ...loadOptions, layers: remote.layer ? [remote.layer] : [] });
 * // … create the service …
 * const handle = await remote.attach(app, loaded.config);
 * handle?.onChange(({ config }) => limiter.setRate(config.rateLimit));
 */
export { configServerKeys, withConfigServerKeys, type ConfigServerKeys } from './config-server-keys.js';
export {
  fetchRemoteConfig,
  RemoteConfigUnavailableError,
  type FetchRemoteConfigOptions,
  type FetchedRemoteConfig,
} from './fetch-remote-config.js';
export {
  watchRemoteConfig,
  type RemoteConfigWatch,
  type WatchRemoteConfigOptions,
} from './watch-remote-config.js';
export { requestRemoteConfig, RemoteConfigRequestError } from './request-remote-config.js';
export { readConfigCache, writeConfigCache, cacheFile } from './config-cache.js';
export { registerRemoteSchema } from './register-remote-schema.js';
export { relaxSchema, pickKnownKeys } from './schema-tools.js';
export {
  startRemoteConfig,
  type StartRemoteConfigOptions,
  type RemoteConfigBootstrap,
  type RemoteConfigHandle,
  type RemoteConfigChange,
  type RemoteConfigHost,
} from './remote-config.js';
export type { RemoteConfig, TokenSource } from './remote-config-types.js';
