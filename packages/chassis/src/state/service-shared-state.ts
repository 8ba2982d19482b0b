/**
 * The state a service's instances share (rate limits, sessions, revocation and change feeds),
 * opened the same way by every service: in-process without `redisUrl`, Redis with it; closed
 * with the service; Redis errors logged (not process warnings); and, on Redis, a `redis` health
 * check so an operator sees the dependency.
 */
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { openSharedState, type SharedState } from '@rampart/store';
import type { HealthRegistry } from '../health/health-registry.js';

export interface ServiceSharedStateOptions {
  /** `redis://…`; unset or empty for in-process state (one instance only). */
  url: string | undefined;
  /**
   * Whether the service cannot serve without it: a failing check then fails readiness (the
   * config server's change feed); otherwise it only warns (the gateway keeps proxying bearer
   * traffic while sessions are unavailable).
   */
  critical: boolean;
  /** Given instead of opening one (tests share one between instances); its owner closes it. */
  provided?: SharedState | undefined;
}

/**
 * What `buildAuth()`, `buildConfigServer()` and `buildGateway()` take: the chassis' inputs (for
 * tests and embedding) and shared state to use instead of opening one from `redisUrl` (tests share
 * one between instances).
 */
export interface StatefulServiceOptions {
  env?: Readonly<Record<string, string | undefined>>;
  argv?: readonly string[];
  logDestination?: DestinationStream;
  sharedState?: SharedState;
}

type ServiceHost = FastifyInstance & { health: HealthRegistry; serviceName: string };

export async function openServiceSharedState(
  app: FastifyInstance,
  options: ServiceSharedStateOptions,
): Promise<SharedState> {
  const host = app as ServiceHost;
  let shared = options.provided;
  if (!shared) {
    let errors = 0;
    const opened = await openSharedState({
      url: options.url,
      prefix: host.serviceName,
      // ioredis reports every failed reconnect: keep the log readable during an outage.
      onError: (error) => {
        if (errors++ % 100 === 0) app.log.warn({ err: error }, 'shared state (Redis) error');
      },
    });
    app.addHook('onClose', () => opened.close());
    shared = opened;
  }
  if (shared.kind === 'redis') {
    const state = shared;
    host.health.register({
      component: 'redis',
      measurement: 'responseTime',
      componentType: 'datastore',
      critical: options.critical,
      check: () => state.ping(),
    });
  }
  return shared;
}
