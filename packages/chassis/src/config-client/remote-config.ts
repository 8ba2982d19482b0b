/**
 * Pull-model configuration for a chassis service, in two steps around `loadConfig`:
 *
 * 1. `startRemoteConfig(loadOptions)` — before the configuration is loaded — reads the bootstrap
 *    keys (`configServer.*`, `dataDir`, `security.*`), fetches the service's configuration (or its
 *    cached last-known-good) and returns it as a `ConfigLayer`. Precedence: defaults < config
 *    server < file < env < flags — what a deployment says about one instance wins over what the
 *    config server says about all of them.
 * 2. `attach(app)` — once the service exists — registers the schema with the config server,
 *    watches for new versions, applies dynamic keys, reports static changes as "restart
 *    required", and adds the health check and metrics.
 */
import type { TObject } from '@sinclair/typebox';
import type { Dispatcher } from 'undici';
import type { Registry } from 'prom-client';
import { createClientCredentialsSource } from '../client/client-credentials.js';
import type { LogLevelName } from '../config/base-schema.js';
import type { ConfigLeaf } from '../config/config-schema.js';
import {
  loadConfig,
  serviceConfigSchema,
  type ConfigLayer,
  type LoadConfigOptions,
} from '../config/load-config.js';
import type { HealthRegistry } from '../health/health-registry.js';
import { EXIT_UNAVAILABLE, StartupError } from '../lifecycle/startup-error.js';
import type { ConfigServerKeys } from './config-server-keys.js';
import { createConfigClientMetrics } from './config-client-metrics.js';
import {
  fetchRemoteConfig,
  RemoteConfigUnavailableError,
  type FetchedRemoteConfig,
} from './fetch-remote-config.js';
import { registerRemoteSchema } from './register-remote-schema.js';
import type { RemoteConfig, TokenSource } from './remote-config-types.js';
import { pickKnownKeys, relaxSchema } from './schema-tools.js';
import { watchRemoteConfig, type RemoteConfigWatch } from './watch-remote-config.js';

export interface StartRemoteConfigOptions {
  /** Default: client credentials from `security.clientId`/`clientSecret` with scope `config:read`. */
  tokenSource?: TokenSource | undefined;
  dispatcher?: Dispatcher | undefined;
  /** Watch back-off (tests shorten it). */
  backoff?: { initialMs?: number; maxMs?: number } | undefined;
}

/** A change the watch applied: which keys changed, and the configuration now in effect. */
export interface RemoteConfigChange {
  version: number;
  /** Dynamic keys, applied at once. */
  applied: string[];
  /** Static keys that changed on the server; they take effect at the next restart. */
  restartRequired: string[];
  config: Readonly<Record<string, unknown>>;
}

/** What `attach` needs of a service (a chassis `Service` has all of it). */
export interface RemoteConfigHost {
  log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  health: HealthRegistry;
  metrics: { registry: Registry };
  setLogLevel(level: LogLevelName): void;
  addHook(name: 'onClose', hook: () => Promise<void>): unknown;
}

export interface RemoteConfigHandle {
  /** The configuration in effect: the start-up configuration with every applied dynamic change. */
  current(): Readonly<Record<string, unknown>>;
  /** The config-server version in effect. */
  readonly version: number;
  /** Where the start-up configuration came from: the server, or the last-known-good cache. */
  readonly origin: 'server' | 'cache';
  /** Static keys changed since start (a restart applies them). */
  readonly restartRequired: readonly string[];
  /** Called after each applied version; returns an unsubscribe function. */
  onChange(listener: (change: RemoteConfigChange) => void): () => void;
  stop(): Promise<void>;
}

export interface RemoteConfigBootstrap {
  /** The config server's layer for `loadConfig({ layers })`; undefined when `configServer.url` is unset. */
  layer: ConfigLayer | undefined;
  /** Where the layer came from (`server` or the last-known-good `cache`). */
  fetched: FetchedRemoteConfig | undefined;
  attach(
    app: RemoteConfigHost,
    startup: Readonly<Record<string, unknown>>,
  ): Promise<RemoteConfigHandle | undefined>;
}

interface BootstrapKeys {
  dataDir: string;
  configServer?: ConfigServerKeys;
  security?: { issuer: string; tokenEndpoint?: string; clientId: string; clientSecret?: string };
}

export async function startRemoteConfig<S extends TObject>(
  load: LoadConfigOptions<S>,
  options: StartRemoteConfigOptions = {},
): Promise<RemoteConfigBootstrap> {
  const bootstrap = loadConfig({ ...load, schema: relaxSchema(load.schema) as S });
  const keys = bootstrap.config as unknown as BootstrapKeys;
  const server = keys.configServer;
  if (!server?.url) return { layer: undefined, fetched: undefined, attach: async () => undefined };
  const url = server.url;
  const app = server.app ?? load.service;
  const profile = server.profile;
  const tokenSource = options.tokenSource ?? defaultTokenSource(keys, server);
  const leaves = bootstrap.leaves;

  let fetched: FetchedRemoteConfig;
  try {
    fetched = await fetchRemoteConfig({
      url,
      app,
      profile,
      tokenSource,
      cacheDir: keys.dataDir,
      timeoutMs: server.timeoutMs,
      dispatcher: options.dispatcher,
    });
  } catch (error) {
    if (!(error instanceof RemoteConfigUnavailableError)) throw error;
    throw new StartupError(
      `${load.service}: cannot load its configuration: ${error.message}`,
      EXIT_UNAVAILABLE,
      {
        cause: error,
      },
    );
  }
  const layerOf = (config: RemoteConfig, cached = false): ConfigLayer => ({
    source: `config server ${url} (${app}/${profile} version ${config.version}${cached ? ', cached' : ''})`,
    values: pickKnownKeys(config.values, leaves).values,
  });
  const layer = layerOf(fetched, fetched.origin === 'cache');

  return {
    layer,
    fetched,
    async attach(host, startup) {
      return attachRemoteConfig({
        host,
        startup,
        load,
        leaves,
        url,
        app,
        profile,
        tokenSource,
        fetched,
        layerOf,
        server,
        options,
        dataDir: keys.dataDir,
      });
    },
  };
}

function defaultTokenSource(keys: BootstrapKeys, server: ConfigServerKeys): TokenSource | undefined {
  const security = keys.security;
  if (!security?.clientSecret) return undefined;
  return createClientCredentialsSource({
    issuer: security.issuer,
    ...(security.tokenEndpoint ? { tokenEndpoint: security.tokenEndpoint } : {}),
    clientId: security.clientId,
    clientSecret: security.clientSecret,
    scope: 'config:read',
    audience: server.audience,
  });
}

interface AttachContext<S extends TObject> {
  host: RemoteConfigHost;
  startup: Readonly<Record<string, unknown>>;
  load: LoadConfigOptions<S>;
  leaves: readonly ConfigLeaf[];
  url: string;
  app: string;
  profile: string;
  tokenSource: TokenSource | undefined;
  fetched: FetchedRemoteConfig;
  layerOf(config: RemoteConfig): ConfigLayer;
  server: ConfigServerKeys;
  options: StartRemoteConfigOptions;
  dataDir: string;
}

function getPath(object: unknown, path: readonly string[]): unknown {
  let node = object;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

function setPath(object: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = object;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

async function attachRemoteConfig<S extends TObject>(ctx: AttachContext<S>): Promise<RemoteConfigHandle> {
  const { host, fetched } = ctx;
  let current = ctx.startup;
  let version = fetched.version;
  let updatedAt = fetched.updatedAt ? Date.parse(fetched.updatedAt) : undefined;
  let fromCache = fetched.origin === 'cache';
  let refused: { version: number; reason: string } | undefined;
  const restartRequired = new Set<string>();
  const listeners = new Set<(change: RemoteConfigChange) => void>();
  const metrics = createConfigClientMetrics(host.metrics.registry, () => updatedAt);
  metrics.version.set(version);
  if (!fromCache) metrics.lastFetchSuccess.set(Date.now() / 1000);
  metrics.watchConnected.set(ctx.server.watch && !fromCache ? 1 : 0);

  if (fromCache)
    host.log.warn(
      { config_version: version, cached_at: fetched.fetchedAt, err: { message: fetched.error } },
      `config server unavailable: started from the cached configuration (version ${version})`,
    );
  else {
    const ignored = pickKnownKeys(fetched.values, ctx.leaves).ignored;
    host.log.info(
      { config_version: version, ignored_keys: ignored },
      `configuration version ${version} from ${ctx.url}`,
    );
    const schema = serviceConfigSchema(ctx.load.schema, ctx.load.defaultPort);
    await registerRemoteSchema({
      url: ctx.url,
      app: ctx.app,
      schema,
      tokenSource: ctx.tokenSource,
      dispatcher: ctx.options.dispatcher,
      timeoutMs: ctx.server.timeoutMs,
    }).catch((error: unknown) =>
      host.log.warn({ err: error }, 'could not register the configuration schema with the config server'),
    );
  }

  const apply = (next: RemoteConfig) => {
    let loaded: Readonly<Record<string, unknown>>;
    try {
      loaded = loadConfig({ ...ctx.load, layers: [ctx.layerOf(next), ...(ctx.load.layers ?? [])] }).config;
    } catch (error) {
      refused = { version: next.version, reason: (error as Error).message };
      metrics.refused.inc();
      host.log.error(
        { config_version: next.version, err: { message: (error as Error).message } },
        `refused configuration version ${next.version}: it does not validate; keeping version ${version}`,
      );
      throw error;
    }
    const effective = structuredClone(loaded) as Record<string, unknown>;
    const applied: string[] = [];
    const staticChanges: string[] = [];
    for (const leaf of ctx.leaves) {
      const before = getPath(current, leaf.path);
      const after = getPath(loaded, leaf.path);
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      if (leaf.dynamic) applied.push(leaf.key);
      else {
        staticChanges.push(leaf.key);
        // The running service keeps the value it started with; a restart picks up the new one.
        setPath(effective, leaf.path, structuredClone(before));
      }
    }
    current = Object.freeze(effective);
    version = next.version;
    updatedAt = next.updatedAt ? Date.parse(next.updatedAt) : Date.now();
    fromCache = false;
    refused = undefined;
    metrics.version.set(version);
    if (applied.includes('logLevel')) host.setLogLevel(getPath(current, ['logLevel']) as LogLevelName);
    for (const key of staticChanges) restartRequired.add(key);
    if (staticChanges.length > 0)
      host.log.warn(
        { config_version: version, keys: staticChanges },
        `configuration version ${version} changes ${staticChanges.join(', ')}: restart required to apply`,
      );
    host.log.info({ config_version: version, applied }, `applied configuration version ${version}`);
    const change: RemoteConfigChange = { version, applied, restartRequired: staticChanges, config: current };
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        host.log.error({ err: error }, 'a configuration change listener failed');
      }
    }
  };

  let watch: RemoteConfigWatch | undefined;
  if (ctx.server.watch) {
    watch = watchRemoteConfig({
      url: ctx.url,
      app: ctx.app,
      profile: ctx.profile,
      tokenSource: ctx.tokenSource,
      dispatcher: ctx.options.dispatcher,
      version,
      connected: !fromCache,
      backoff: ctx.options.backoff,
      cache: { dir: ctx.dataDir },
      apply,
      onConnected: (connected) => metrics.watchConnected.set(connected ? 1 : 0),
      onContact: () => metrics.lastFetchSuccess.set(Date.now() / 1000),
      onError: (error, retryInMs) =>
        host.log.warn(
          { err: { message: error.message }, retry_in_ms: retryInMs },
          'config server watch failed; retrying',
        ),
    });
    host.addHook('onClose', () => watch!.stop());
  }

  host.health.register({
    component: 'config-server',
    measurement: 'version',
    componentType: 'component',
    critical: false,
    check: () => {
      const problems: string[] = [];
      if (fromCache)
        problems.push(`running on the cached configuration (config server unreachable at start)`);
      if (watch && !watch.connected) problems.push('change watch not connected');
      if (refused) problems.push(`refused version ${refused.version}: ${refused.reason}`);
      if (restartRequired.size > 0)
        problems.push(`restart required to apply ${[...restartRequired].join(', ')}`);
      return {
        status: problems.length > 0 ? 'warn' : 'pass',
        observedValue: version,
        observedUnit: 'version',
        ...(problems.length > 0 ? { output: problems.join('; ') } : {}),
      };
    },
  });

  return {
    current: () => current,
    origin: fetched.origin,
    get version() {
      return version;
    },
    get restartRequired() {
      return [...restartRequired];
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => watch?.stop(),
  };
}
