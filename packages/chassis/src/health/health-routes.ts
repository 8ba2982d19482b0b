/** `GET /health/live`, `/health/ready`, `/health`: `application/health+json`, pass/warn → 200, fail → 503. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HealthRegistry, HealthReport } from './health-registry.js';

export const HEALTH_CONTENT_TYPE = 'application/health+json';

function send(reply: FastifyReply, report: HealthReport): FastifyReply {
  return reply
    .code(report.status === 'fail' ? 503 : 200)
    .header('content-type', HEALTH_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send(Buffer.from(JSON.stringify(report)));
}

export function registerHealthRoutes(app: FastifyInstance, health: HealthRegistry): void {
  const options = { config: { public: true }, logLevel: 'warn' as const };
  app.get('/health/live', options, async (_request, reply) => send(reply, health.liveness()));
  app.get('/health/ready', options, async (_request, reply) => send(reply, await health.readiness()));
  app.get('/health', options, async (_request, reply) => send(reply, await health.full()));
}
