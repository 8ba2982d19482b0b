/**
 * RED metrics for every route, named after the OpenTelemetry HTTP semantic conventions
 * translated to Prometheus: `http_server_request_duration_seconds` and
 * `http_server_active_requests`. Labels are bounded: the route template (never the raw path),
 * known methods (others → `_OTHER`), and the status code.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { HotGauge, HotHistogram } from './hot-path-metrics.js';

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

// In-flight requests per HTTP/1 connection (or per request stream otherwise), so a connection
// that closes early settles its unanswered requests with one listener per connection rather
// than one `close` listener (and closure) per request.
const inFlight = Symbol('rampart.inFlight');

interface Holder {
  [inFlight]?: FastifyRequest[];
  once(event: 'close', listener: () => void): unknown;
}

export interface HttpMetrics {
  /** Called when a request arrives. */
  requestStarted(request: FastifyRequest): void;
  /** Called once the response has been sent. */
  requestFinished(request: FastifyRequest, reply: FastifyReply): void;
}

interface ActiveSeries {
  value: number;
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
  // Series found by the strings Fastify and Node reuse (the method, the route template) and the
  // status number: no key built and hashed per request.
  const activeByMethod = new Map<string, ActiveSeries>();

  function activeSeries(rawMethod: string): ActiveSeries {
    let series = activeByMethod.get(rawMethod);
    if (series === undefined) {
      const method = normalizeMethod(rawMethod);
      series = active.series(method, () => ({ http_request_method: method }));
      activeByMethod.set(rawMethod, series);
    }
    return series;
  }

  const durationLabels = (route: string, method: string, status: number) => ({
    http_request_method: method,
    http_route: route,
    http_response_status_code: String(status),
  });

  // The connection closed (or the stream did): whatever it still carries was aborted.
  function settleAll(this: Holder): void {
    const requests = this[inFlight];
    if (requests === undefined) return;
    for (const request of requests) activeSeries(request.method).value -= 1;
    requests.length = 0;
  }

  return {
    requestStarted(request) {
      activeSeries(request.method).value += 1;
      const holder = holderOf(request);
      let requests = holder[inFlight];
      if (requests === undefined) {
        holder[inFlight] = requests = [];
        holder.once('close', settleAll);
      }
      requests.push(request);
    },
    requestFinished(request, reply) {
      const requests = holderOf(request)[inFlight];
      if (requests !== undefined) {
        // Usually the last (only) one on its connection.
        const last = requests.length - 1;
        const i = requests[last] === request ? last : requests.indexOf(request);
        if (i !== -1) {
          if (i === last) requests.pop();
          else requests.splice(i, 1);
          activeSeries(request.method).value -= 1;
        }
      }
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      duration
        .seriesOf(route, normalizeMethod(request.method), reply.statusCode, durationLabels)
        .observe(reply.elapsedTime / 1000);
    },
  };
}

/**
 * Where a request's in-flight entry lives: its HTTP/1 connection (requests on one connection,
 * pipelined or kept alive, end when it closes), else the request itself (HTTP/2 streams share
 * their session's socket, and close on their own).
 */
function holderOf(request: FastifyRequest): Holder {
  const raw = request.raw;
  const socket = raw.httpVersionMajor === 1 ? (raw.socket as unknown as Holder | null) : null;
  return socket !== null && typeof socket.once === 'function' ? socket : raw;
}
