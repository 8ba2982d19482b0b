/**
 * `createService()` returns a Fastify instance that already has validated configuration,
 * request-scoped JSON logs, Prometheus metrics, health endpoints, problem+json errors, an
 * exception reporter and graceful shutdown.
 */
import path from 'node:path';
import { Type, type TObject } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyHttpOptions,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Bindings, ChildLoggerOptions, DestinationStream, Logger } from 'pino';
import type { LogLevelName } from '../config/base-schema.js';
import {
  loadConfig,
  type ConfigEntry,
  type ConfigLayer,
  type LoadConfigOptions,
  type LoadedConfig,
  type ServiceConfig,
} from '../config/load-config.js';
import {
  startRemoteConfig,
  type RemoteConfigHandle,
  type RemoteConfigHost,
  type StartRemoteConfigOptions,
} from '../config-client/index.js';
import { registerProblemHandlers } from '../errors/problem-handler.js';
import { createAuditLog, createLogAuditLog, type AuditLog } from '../audit/audit-log.js';
import { registerRequestAudit } from '../audit/request-audit.js';
import {
  defaultDatabaseUrl,
  openServiceDatabaseOrExplain,
  type DatabaseOptions,
} from '../database/service-database.js';
import type { SecurityConfig } from '../security/index.js';
import type { Server as HttpsServer } from 'node:https';
import { loadTlsFiles, serverTlsOptions, watchTlsFiles, type TlsMaterial } from '../tls/index.js';
import { composeServiceSchema } from './service-schema.js';
import { wireSecurity, type SecurityFeature } from './wire-security.js';
import { StartupError, EXIT_CONFIG } from '../lifecycle/startup-error.js';
import type { Kysely } from 'kysely';
import { HealthRegistry } from '../health/health-registry.js';
import { registerHealthRoutes } from '../health/health-routes.js';
import { createGracefulShutdown } from '../lifecycle/graceful-shutdown.js';
import { listenError } from '../lifecycle/startup-error.js';
import { createLogger } from '../logging/create-logger.js';
import { registerRequestHooks } from './request-hooks.js';
import { randomRequestId } from './request-id.js';
import { LazyChildLogger, type ChildFactory } from '../logging/lazy-child-logger.js';
import { createMetrics, registerMetricsRoutes, type ServiceMetrics } from '../metrics/metrics-plugin.js';
import { createLogReporter, type ExceptionReporter } from '../reporting/exception-reporter.js';

export interface CreateServiceOptions<S extends TObject> {
  /** Lower-case service name: log `service.name`, env prefix `RAMPART_<NAME>_`. */
  name: string;
  version?: string;
  /** The service's own configuration keys (TypeBox); merged over host, port, logLevel, … */
  config?: S;
  defaultPort?: number;
  /** Defaults to `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra configuration layers above the defaults (the config-server client uses this). */
  configLayers?: readonly ConfigLayer[];
  /** Where log lines go; stdout by default. */
  logDestination?: DestinationStream;
  /** Replaces the default log-only exception reporter. */
  reporter?: ExceptionReporter;
  /**
   * The service's own database (SQLite by default, PostgreSQL with `DATABASE_URL`), migrated on
   * start, checked by readiness, closed on shutdown; also enables the durable audit outbox.
   */
  database?: DatabaseOptions;
  /**
   * Makes the service an OAuth 2.0 resource server: every route deny-by-default, bearer tokens
   * verified against the issuer's keys and revocation feed (`security.*` config keys).
   */
  security?: SecurityFeature;
  /** Peer services this one calls, name → default base URL (`app.client(name)`). */
  services?: Readonly<Record<string, string>>;
  /** Overrides for the config-server client (token source, TLS dispatcher). */
  remoteConfig?: StartRemoteConfigOptions;
  /** Fastify server options (e.g. `bodyLimit`); logging and request ids are the chassis'. */
  fastify?: Omit<FastifyServerOptions, 'logger' | 'loggerInstance' | 'genReqId' | 'requestIdLogLabel'>;
}

export interface StartOptions {
  /** Install SIGTERM/SIGINT and process-level error handlers (default true). Tests pass false. */
  handleSignals?: boolean;
}

export interface ServiceAddress {
  port: number;
  url: string;
}

/** What the chassis adds to the Fastify instance. */
export interface ServiceDecorations<S extends TObject> {
  readonly config: ServiceConfig<S>;
  /** Every key's effective value and source, secrets masked. */
  readonly configEntries: readonly ConfigEntry[];
  readonly serviceName: string;
  readonly serviceVersion: string;
  /** Absolute data directory (from `dataDir`). */
  readonly dataDir: string;
  readonly health: HealthRegistry;
  readonly metrics: ServiceMetrics;
  readonly reporter: ExceptionReporter;
  /**
   * The service's database (Kysely), when `database` was given. Type it with your tables:
   * `const db = app.db as Kysely<Tables>`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /** The audit log: the outbox in the service's database, or the log when it has none. */
  readonly audit: AuditLog;
  setReporter(reporter: ExceptionReporter): void;
  /** Changes the log level at run time (dynamic configuration uses this). */
  setLogLevel(level: LogLevelName): void;
  /** The config-server client, when `configServer.url` is set: current(), version, onChange(). */
  readonly remoteConfig: RemoteConfigHandle | undefined;
  /** Listens on the configured host and port, then becomes ready. */
  start(options?: StartOptions): Promise<ServiceAddress>;
  /** Graceful shutdown: readiness fails, drain delay, stop accepting, finish in-flight, close. */
  shutdown(reason?: string): Promise<void>;
}

export type Service<S extends TObject = TObject> = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
> &
  ServiceDecorations<S>;

// Request ids from the gateway are kept; anything else is replaced (ids end up in logs).
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Creates a service. Throws `ConfigError` (exit 78 under `runService`) when the configuration
 * is invalid, before anything listens.
 *
 * @example
 * const app = await createService({
 *   name: 'orders', defaultPort: 8091,
 *   config: Type.Object({ maxItems: Type.Integer({ default: 20 }) }),
 * });
 * app.get('/orders/limits', { config: { public: true } }, async () => ({ max: app.config.maxItems }));
 * await app.start();
 */
export async function createService<S extends TObject = TObject>(
  options: CreateServiceOptions<S>,
): Promise<Service<S>> {
  const version = options.version ?? '0.0.0';
  const schema = options.config ?? (Type.Object({}) as unknown as S);
  const loadOptions: LoadConfigOptions<TObject> = {
    service: options.name,
    schema: composeServiceSchema(schema, {
      name: options.name,
      database: options.database !== undefined,
      security: options.security !== undefined,
      ...(options.services ? { services: options.services } : {}),
    }),
    ...(options.defaultPort === undefined ? {} : { defaultPort: options.defaultPort }),
    ...(options.argv ? { argv: options.argv } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.configLayers ? { layers: options.configLayers } : {}),
  };
  // Pull model: with configServer.url set, the server's values form a layer above the defaults
  // and below file, env and flags (the deployment's word about one instance beats the server's
  // word about all of them). Without it nothing is fetched.
  const remote = await startRemoteConfig(loadOptions, options.remoteConfig ?? {});
  const loaded = loadConfig({
    ...loadOptions,
    layers: [...(remote.layer ? [remote.layer] : []), ...(options.configLayers ?? [])],
  }) as unknown as LoadedConfig<S>;
  const config = loaded.config;
  const initialLevel = config.logLevel;
  const logger = createLogger({
    service: options.name,
    version,
    level: config.logLevel,
    destination: options.logDestination,
  });

  const features = config as unknown as FeatureConfig;
  const tls = await loadServerTls(options.name, features.tls);
  const serverOptions: FastifyHttpOptions<RawServerDefault, FastifyBaseLogger> = {
    ...options.fastify,
    ...(tls ? (serverTlsOptions(tls) as object) : {}),
    loggerInstance: logger,
    // One access line per request, written by our onResponse hook (Fastify's two cost throughput).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    requestIdHeader: false,
    // request.ip is the client's address only through proxies named here (the gateway).
    ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomRequestId();
    },
  };
  const app = fastify(serverOptions).withTypeProvider<TypeBoxTypeProvider>();
  installLazyRequestLoggers(app.log as unknown as Logger, initialLevel);

  const health = new HealthRegistry(options.name, version);
  const metrics = createMetrics(options.name, version);
  let reporter = options.reporter ?? createLogReporter(logger);

  app.decorate('config', config as Readonly<Record<string, unknown>>);
  app.decorate('configEntries', loaded.entries);
  app.decorate('serviceName', options.name);
  app.decorate('serviceVersion', version);
  app.decorate('dataDir', path.resolve(config.dataDir));
  app.decorate('health', health);
  app.decorate('metrics', metrics);
  app.decorate('reporter', {
    getter: () => reporter,
  });
  app.decorate('setReporter', (next: ExceptionReporter) => {
    reporter = next;
  });
  app.decorate('setLogLevel', (level: LogLevelName) => {
    // Fastify logs through a child of our logger; request loggers are children of that one.
    logger.level = level;
    app.log.level = level;
  });

  registerRequestHooks(app, { metrics: metrics.http, health, accessLog: config.accessLog });

  let audit: AuditLog = createLogAuditLog(app.log, options.name);
  let db: Kysely<unknown> | undefined;
  if (options.database) {
    const url =
      (config as { databaseUrl?: string }).databaseUrl ?? defaultDatabaseUrl(config.dataDir, options.name);
    const database = await openServiceDatabaseOrExplain(
      options.name,
      url,
      options.database,
      (error) => app.log.warn({ err: error }, 'database connection error'),
      loaded.entries.find((e) => e.key === 'databaseUrl')?.source,
    );
    db = database.db;
    app.decorate('db', database.db);
    audit = createAuditLog(database.db, options.name);
    health.register({
      component: 'database',
      measurement: 'responseTime',
      componentType: 'datastore',
      check: () => database.ping(),
    });
    app.addHook('onClose', () => database.close());
  } else {
    app.decorate('db', {
      getter: () => {
        throw new Error(
          `${options.name}: app.db is only available when createService() is given { database: { migrations } }`,
        );
      },
    });
  }
  app.decorate('audit', { getter: () => audit });
  registerRequestAudit(app, () => audit);
  wireSecurity(app as unknown as FastifyInstance & { health: HealthRegistry }, {
    security: options.security,
    securityConfig: features.security,
    peers: features.services,
    tls,
    db,
  });

  registerProblemHandlers(app, () => reporter);
  registerHealthRoutes(app, health);
  registerMetricsRoutes(app, metrics);

  if (tls && features.tls?.ca && features.tls.cert && features.tls.key) {
    const stop = watchTlsFiles({
      paths: { ca: features.tls.ca, cert: features.tls.cert, key: features.tls.key },
      current: tls,
      server: () => app.server as unknown as HttpsServer,
      intervalMs: features.tls.reloadIntervalMs ?? 3_600_000,
      onReload: () => app.log.info('renewed TLS certificate loaded'),
      onError: (error) =>
        app.log.warn({ err: error }, 'could not re-read the TLS files; keeping the current certificate'),
    });
    app.addHook('onClose', async () => stop());
  }

  const lifecycle = createGracefulShutdown(app, health, config.shutdown, () => reporter);
  app.decorate('shutdown', lifecycle.shutdown);
  app.decorate('start', async (startOptions: StartOptions = {}): Promise<ServiceAddress> => {
    const portSource = loaded.entries.find((e) => e.key === 'port')?.source ?? 'default';
    try {
      await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      throw listenError(options.name, config.host, config.port, portSource, error);
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    if (startOptions.handleSignals !== false) lifecycle.installProcessHandlers();
    health.setState('ready');
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const scheme = tls ? 'https' : 'http';
    return { port, url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}` };
  });

  const remoteConfig = await remote.attach(app as unknown as RemoteConfigHost, loaded.config);
  app.decorate('remoteConfig', remoteConfig);

  return app as unknown as Service<S>;
}

/**
 * Request loggers are `LazyChildLogger`s: no pino child until a line is written. Fastify makes
 * each request's logger with `child()` of its root logger, so that method is replaced on the root
 * (its own children inherit it). Not through Fastify's `childLoggerFactory` option: Fastify
 * re-validates the logger a custom factory returns on every request.
 *
 * Routes registered with an explicit quieter level (health, metrics) keep it; every other route
 * follows the instance level, so `setLogLevel()` applies to requests at once.
 */
function installLazyRequestLoggers(root: Logger, initialLevel: string): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with a logger as `this`
  const pinoChild = root.child as unknown as ChildFactory;
  root.child = function lazyChild(this: Logger, bindings: Bindings, childOptions?: ChildLoggerOptions) {
    const routeLevel = childOptions?.level;
    if (routeLevel === undefined || routeLevel === initialLevel) {
      return new LazyChildLogger(this, bindings, undefined, pinoChild) as unknown as Logger;
    }
    const values = this.levels.values;
    const quieter = (values[routeLevel] ?? 0) > (values[this.level] ?? 0) ? routeLevel : this.level;
    return new LazyChildLogger(
      this,
      bindings,
      { ...childOptions, level: quieter },
      pinoChild,
    ) as unknown as Logger;
  } as unknown as Logger['child'];
}

/** The feature keys `composeServiceSchema` adds (not part of the service's own static type). */
interface FeatureConfig {
  security?: SecurityConfig;
  services: Readonly<Record<string, string>>;
  tls?: { ca?: string; cert?: string; key?: string; reloadIntervalMs?: number };
}

/** HTTPS with mutual TLS when `tls.ca`, `tls.cert` and `tls.key` are all given. */
async function loadServerTls(service: string, tls: FeatureConfig['tls']): Promise<TlsMaterial | undefined> {
  if (!tls || (!tls.ca && !tls.cert && !tls.key)) return undefined;
  const { ca, cert, key } = tls;
  if (!ca || !cert || !key) {
    const missing = (['ca', 'cert', 'key'] as const).filter((k) => !tls[k]).map((k) => `tls.${k}`);
    throw new StartupError(
      `${service}: mutual TLS needs tls.ca, tls.cert and tls.key; missing ${missing.join(', ')}`,
      EXIT_CONFIG,
    );
  }
  try {
    return await loadTlsFiles({ ca, cert, key });
  } catch (error) {
    throw new StartupError(
      `${service}: cannot read the TLS files: ${(error as Error).message}`,
      EXIT_CONFIG,
      { cause: error },
    );
  }
}
