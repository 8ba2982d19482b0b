/** The gateway's own Prometheus metrics, labelled by route and upstream, on the service registry. */
import { Counter, Gauge, type Registry } from 'prom-client';
import { DURATION_BUCKETS, HotHistogram, type HistogramSeries } from '@rampart/chassis';

export interface GatewayMetrics {
  /** The request-duration series of one route, method and status (found without label hashing). */
  requests(route: string, method: string, status: number): HistogramSeries;
  upstreamDuration(route: string, upstream: string, outcome: string): HistogramSeries;
  upstreamHealth: Gauge<'upstream'>;
  breakerState: Gauge<'upstream'>;
  rateLimited: Counter<'route' | 'key'>;
  configReloads: Counter<'outcome'>;
  routes: Gauge;
  authDenied: Counter<'route' | 'reason'>;
  pathRejected: Counter<'reason'>;
  sessionRefreshes: Counter<'outcome'>;
}

export const BREAKER_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  const requests = new HotHistogram({
    name: 'rampart_gateway_request_duration_seconds',
    help: 'Time from request to response at the gateway, by route',
    buckets: DURATION_BUCKETS,
    registers,
  });
  const upstreamDuration = new HotHistogram({
    name: 'rampart_gateway_upstream_duration_seconds',
    help: 'Time until the upstream answered with headers, by route and upstream',
    buckets: DURATION_BUCKETS,
    registers,
  });
  const requestLabels = (route: string, method: string, status: number) => ({
    route,
    method,
    status: String(status),
  });
  const upstreamLabels = (route: string, upstream: string, outcome: string) => ({ route, upstream, outcome });
  return {
    requests: (route, method, status) => requests.seriesOf(route, method, status, requestLabels),
    upstreamDuration: (route, upstream, outcome) =>
      upstreamDuration.seriesOf(route, upstream, outcome, upstreamLabels),
    upstreamHealth: new Gauge({
      name: 'rampart_gateway_upstream_healthy',
      help: '1 when the upstream is taking traffic (not ejected, health check passing)',
      labelNames: ['upstream'],
      registers,
    }),
    breakerState: new Gauge({
      name: 'rampart_gateway_breaker_state',
      help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'rampart_gateway_rate_limited_total',
      help: 'Requests refused with 429, by route',
      labelNames: ['route', 'key'],
      registers,
    }),
    configReloads: new Counter({
      name: 'rampart_gateway_config_reloads_total',
      help: 'Route table reloads, by outcome (success, rejected)',
      labelNames: ['outcome'],
      registers,
    }),
    routes: new Gauge({ name: 'rampart_gateway_routes', help: 'Routes in the active table', registers }),
    authDenied: new Counter({
      name: 'rampart_gateway_auth_denied_total',
      help: 'Requests refused by edge authentication or authorization',
      labelNames: ['route', 'reason'],
      registers,
    }),
    pathRejected: new Counter({
      name: 'rampart_gateway_path_rejected_total',
      help: 'Requests refused because their path was ambiguous or malformed',
      labelNames: ['reason'],
      registers,
    }),
    sessionRefreshes: new Counter({
      name: 'rampart_gateway_session_refreshes_total',
      help: 'Browser-session access-token refreshes, by outcome',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
