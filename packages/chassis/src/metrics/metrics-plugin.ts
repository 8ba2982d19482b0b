/** `GET /metrics`: the service's own registry (never prom-client's global one) in text format 0.0.4. */
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { createHttpMetrics, type HttpMetrics } from './http-metrics.js';

export interface ServiceMetrics {
  /** Register your own metrics here: `new Counter({ name, help, registers: [app.metrics.registry] })`. */
  readonly registry: Registry;
  /** @internal the RED metrics the request hooks feed. */
  readonly http: HttpMetrics;
}

export function createMetrics(service: string, version: string): ServiceMetrics {
  const registry = new Registry();
  // Process CPU, resident memory, heap, open handles, event-loop delay and GC durations.
  collectDefaultMetrics({ register: registry });
  // prom-client names three gauges with `_total`, which promtool rejects (that suffix is for
  // counters); the same values are exported as nodejs_active_{handles,requests,resources}.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
  new Gauge({
    name: 'rampart_service_info',
    help: 'Constant 1, labelled with the service name and version.',
    labelNames: ['service_name', 'service_version'] as const,
    registers: [registry],
  }).set({ service_name: service, service_version: version }, 1);
  return { registry, http: createHttpMetrics(registry) };
}

export function registerMetricsRoutes(app: FastifyInstance, metrics: ServiceMetrics): void {
  app.get('/metrics', { config: { public: true }, logLevel: 'warn' }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply
      .header('content-type', metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(text);
  });
}
