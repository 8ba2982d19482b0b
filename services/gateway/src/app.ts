/**
 * `buildGateway()`: the API gateway as a chassis service — the route table (hot-reloaded), the
 * proxy over undici pools, authentication at the edge, rate limits, browser sessions, and the
 * gateway's access log and metrics.
 */
import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import { Agent } from 'undici';
import { Redis } from 'ioredis';
import {
  createService,
  createTokenVerification,
  openServiceSharedState,
  loadTlsFiles,
  type Service,
  type StatefulServiceOptions,
  type TokenVerification,
} from '@rampart/chassis';
import { createEdgeAuth } from './auth/edge-auth.js';
import { gatewayConfigSchema, GATEWAY_DEFAULT_PORT, type GatewayConfig } from './config.js';
import { compilePeerTrust, type PeerTrust } from './headers/trusted-peers.js';
import { registerAccessLog } from './observability/access-log.js';
import { BREAKER_VALUE, createGatewayMetrics, type GatewayMetrics } from './observability/gateway-metrics.js';
import { proxyPlugin } from './proxy/proxy-plugin.js';
import './proxy/request-state.js';
import { createLimiterFactory } from './rate-limit/rate-limiter.js';
import { ActiveRoutes } from './routes/active-routes.js';
import { RouteRegistry } from './routes/route-registry.js';
import { registerSessionRoutes, type BrowserSessions } from './session/index.js';

export const GATEWAY_VERSION = '0.1.0';
export const DEFAULT_ROUTES_FILE = fileURLToPath(new URL('../routes.default.yaml', import.meta.url));

export type BuildGatewayOptions = StatefulServiceOptions;

export type GatewayService = Service<typeof gatewayConfigSchema> & {
  readonly routes: ActiveRoutes;
  readonly gatewayMetrics: GatewayMetrics;
  /** The chassis' verifier and deny-list, configured from the gateway's own keys. */
  readonly edgeSecurity: TokenVerification;
  readonly sessions: BrowserSessions | undefined;
};

export async function buildGateway(options: BuildGatewayOptions = {}): Promise<GatewayService> {
  const env = options.env ?? process.env;
  let trustPeer: PeerTrust = () => false;
  const app = await createService({
    name: 'gateway',
    version: GATEWAY_VERSION,
    defaultPort: GATEWAY_DEFAULT_PORT,
    config: gatewayConfigSchema,
    env,
    ...(options.argv ? { argv: options.argv } : {}),
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
    fastify: {
      // Runs before the request id is generated: an x-request-id from anyone but a trusted
      // proxy is dropped, so the chassis generates a fresh one (and returns it).
      rewriteUrl: (req: IncomingMessage) => {
        if (req.headers['x-request-id'] !== undefined && !trustPeer(req.socket.remoteAddress))
          delete req.headers['x-request-id'];
        return req.url ?? '/';
      },
      // Node answers 431 past this (the header block as a whole).
      http: { maxHeaderSize: 16 * 1024 },
    } as never,
  });
  const config = app.config as GatewayConfig & { trustProxy: string };
  trustPeer = compilePeerTrust(config.trustProxy);
  const cleanup: (() => unknown)[] = [];
  app.addHook('onClose', async () => {
    for (const step of cleanup.reverse()) await step();
  });
  try {
    const metrics = createGatewayMetrics(app.metrics.registry);
    const tls = config.upstreamTls;
    const material = tls?.ca || tls?.cert || tls?.key ? await loadTlsFiles(requireTls(tls)) : undefined;
    const dispatcher = new Agent({
      connections: config.upstreamConnections,
      keepAliveTimeout: 30_000,
      connect: material
        ? { ca: material.ca, cert: material.cert, key: material.key, rejectUnauthorized: true }
        : { rejectUnauthorized: true },
    });
    cleanup.push(() => dispatcher.close());

    const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
    if (redis) cleanup.push(() => redis.quit().catch(() => undefined));
    let storeErrors = 0;
    const limiters = createLimiterFactory({
      redis,
      onStoreError: (error) => {
        if (storeErrors++ % 100 === 0)
          app.log.warn({ err: error }, 'rate-limit store failed; request let through');
      },
    });
    const registry = new RouteRegistry(dispatcher, limiters, {
      onBreakerState: (upstream, state) => {
        metrics.breakerState.set({ upstream: upstream.url }, BREAKER_VALUE[state]);
        if (state !== 'closed' || upstream.breakerState !== 'closed')
          app.log.warn({ upstream: upstream.url, state }, 'upstream circuit breaker changed state');
      },
      onHealth: (upstream, healthy) =>
        metrics.upstreamHealth.set({ upstream: upstream.url }, healthy ? 1 : 0),
    });
    cleanup.push(() => registry.close());
    const routes = await ActiveRoutes.load({
      file: config.routesFile ?? DEFAULT_ROUTES_FILE,
      env,
      registry,
      metrics,
      log: app.log,
    });
    if (config.routesWatch) routes.watch();
    cleanup.push(() => routes.close());

    // The gateway is not a chassis resource server (its routes are not chassis routes), but it
    // verifies tokens exactly as services do.
    const security = createTokenVerification(app, config);
    let sessions: BrowserSessions | undefined;
    if (config.session.enabled && config.clientSecret) {
      // Not critical: without Redis, browser sign-ins fail but bearer traffic keeps flowing.
      const shared = await openServiceSharedState(app, {
        url: config.redisUrl,
        critical: false,
        provided: options.sharedState,
      });
      sessions = registerSessionRoutes(app, { config, shared, metrics });
    } else if (config.session.enabled) {
      app.log.info('browser sessions off: set clientSecret to enable /auth/login');
    }

    const auth = createEdgeAuth({
      verifier: security.verifier,
      sessions,
      realm: 'rampart',
      onDenied: (route, reason) => metrics.authDenied.inc({ route: route.name, reason }),
    });
    app.decorateRequest('gateway', null);
    registerAccessLog(app, metrics, () => (app.config as GatewayConfig).requestLog);
    await app.register(proxyPlugin, {
      routes,
      dispatcher,
      auth,
      metrics,
      sessionCookie: config.session.cookieName,
    });
    app.decorate('routes', routes);
    app.decorate('gatewayMetrics', metrics);
    app.decorate('edgeSecurity', security);
    app.decorate('sessions', sessions);
    return app as unknown as GatewayService;
  } catch (error) {
    await app.close();
    throw error;
  }
}

function requireTls(tls: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined }) {
  const { ca, cert, key } = tls;
  if (!ca || !cert || !key) throw new Error('upstreamTls needs ca, cert and key (mutual TLS to upstreams)');
  return { ca, cert, key };
}

async function connectRedis(url: string): Promise<Redis> {
  // No offline queue: while Redis is down, limiter calls fail fast and the in-process insurance counts.
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect().catch(() => undefined);
  return redis;
}
