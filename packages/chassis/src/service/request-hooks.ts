/**
 * The per-request work of the chassis in one `onRequest` and one `onResponse` hook (callback
 * style: no promise per hook on the hot path): request id on the response, `Connection: close`
 * while draining, RED metrics, and one access-log line. No `onRequestAbort` hook: Fastify adds a
 * `close` listener and a closure to every request when one exists; the metrics settle requests
 * whose connection went away with one listener per connection instead.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { HealthRegistry } from '../health/health-registry.js';
import { redactUrl } from '../logging/redact.js';
import type { HttpMetrics } from '../metrics/http-metrics.js';

export interface RequestHooksOptions {
  metrics: HttpMetrics;
  health: HealthRegistry;
  accessLog: boolean;
}

export function registerRequestHooks(
  app: FastifyInstance,
  { metrics, health, accessLog }: RequestHooksOptions,
): void {
  app.addHook('onRequest', (request, reply, done) => {
    metrics.requestStarted(request);
    reply.header('x-request-id', request.id);
    // Once draining, every response tells the client to reconnect (to another replica).
    if (health.state !== 'ready' && health.state !== 'starting') reply.header('connection', 'close');
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.requestFinished(request, reply);
    if (accessLog && (request.log as Logger).isLevelEnabled('info')) {
      request.log.info(
        {
          method: request.method,
          url: redactUrl(request.url),
          route: request.routeOptions.url ?? null,
          status: reply.statusCode,
          duration_ms: Math.round(reply.elapsedTime * 100) / 100,
          remote_address: request.ip,
        },
        'request completed',
      );
    }
    done();
  });
}
