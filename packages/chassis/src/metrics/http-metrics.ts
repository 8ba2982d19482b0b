/**
 * RED metrics for every route, named after the OpenTelemetry HTTP semantic conventions
 * translated to Prometheus: `http_server_request_duration_seconds` and
 * `http_server_active_requests`. Labels are bounded: the route template (never the raw path),
 * known methods (others → `_OTHER`), and the status code.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { HotGauge, HotHistogram, type HistogramSeries } from './hot-path-metrics.js';

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

type CountedRequest = FastifyRequest & { [counted]?: boolean };

export interface HttpMetrics {
  /** Called when a request arrives. */
  requestStarted(request: FastifyRequest): void;
  /** Called once the response has been sent. */
  requestFinished(request: FastifyRequest, reply: FastifyReply): void;
  /** Called when the client goes away before the response. */
  requestAborted(request: FastifyRequest): void;
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  const duration = new HotHistogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests.',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const active = new HotGauge({
    name: 'http_server_active_requests',
    help: 'Number of active HTTP server requests.',
    registers: [registry],
  });
  // One series object per label combination, found by a string key: no label hashing per request.
  const durations = new Map<string, HistogramSeries>();

  function finish(request: CountedRequest): void {
    if (request[counted]) {
      request[counted] = false;
      const method = normalizeMethod(request.method);
      active.series(method, () => ({ http_request_method: method })).value -= 1;
    }
  }

  return {
    requestStarted(request: CountedRequest) {
      request[counted] = true;
      const method = normalizeMethod(request.method);
      active.series(method, () => ({ http_request_method: method })).value += 1;
    },
    requestFinished(request, reply) {
      finish(request);
      const url = request.routeOptions.url;
      const route = url === undefined || request.is404 ? UNMATCHED_ROUTE : url;
      const status = reply.statusCode;
      const method = normalizeMethod(request.method);
      const id = `${method} ${status} ${route}`;
      let series = durations.get(id);
      if (series === undefined) {
        series = duration.series(id, () => ({
          http_request_method: method,
          http_route: route,
          http_response_status_code: String(status),
        }));
        durations.set(id, series);
      }
      series.observe(reply.elapsedTime / 1000);
    },
    requestAborted: finish,
  };
}
