/**
 * RED metrics for every route, named after the OpenTelemetry HTTP semantic conventions
 * translated to Prometheus: `http_server_request_duration_seconds` and
 * `http_server_active_requests`. Labels are bounded: the route template (never the raw path),
 * known methods (others → `_OTHER`), and the status code.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Gauge, Histogram, type Registry } from 'prom-client';

// The bucket boundaries the OpenTelemetry HTTP semantic conventions advise for this histogram.
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
]);

/** The `http_route` value of requests that matched no route: one series, whatever the path. */
export const UNMATCHED_ROUTE = '(unmatched)';

export function normalizeMethod(method: string): string {
  return KNOWN_METHODS.has(method) ? method : '_OTHER';
}

const counted = Symbol('rampart.activeCounted');

export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests.',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const active = new Gauge({
    name: 'http_server_active_requests',
    help: 'Number of active HTTP server requests.',
    labelNames: ['http_request_method'] as const,
    registers: [registry],
  });
  // Label children are cached: the hot path does one Map lookup instead of hashing labels.
  const children = new Map<string, ReturnType<typeof duration.labels>>();

  function routeOf(request: FastifyRequest): string {
    const url = request.routeOptions.url;
    return url === undefined || request.is404 ? UNMATCHED_ROUTE : url;
  }

  function done(request: FastifyRequest & { [counted]?: boolean }): void {
    if (request[counted]) {
      request[counted] = false;
      active.dec({ http_request_method: normalizeMethod(request.method) });
    }
  }

  app.addHook('onRequest', async (request: FastifyRequest & { [counted]?: boolean }) => {
    request[counted] = true;
    active.inc({ http_request_method: normalizeMethod(request.method) });
  });
  app.addHook('onResponse', async (request, reply) => {
    done(request);
    const method = normalizeMethod(request.method);
    const route = routeOf(request);
    const status = String(reply.statusCode);
    const id = `${method} ${status} ${route}`;
    let child = children.get(id);
    if (child === undefined) {
      child = duration.labels(method, route, status);
      children.set(id, child);
    }
    child.observe(reply.elapsedTime / 1000);
  });
  app.addHook('onRequestAbort', async (request) => done(request));
}
