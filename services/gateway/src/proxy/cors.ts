/** CORS per route (Fetch standard): preflights answered here, never forwarded. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CorsSpec } from '../routes/route-schema.js';

function allowedOrigin(cors: CorsSpec, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (cors.origins.includes(origin)) return origin;
  // `*` never combines with credentials: echo nothing then.
  if (cors.origins.includes('*') && !cors.credentials) return '*';
  return undefined;
}

/** True when the request was a preflight and has been answered. */
export function applyCors(cors: CorsSpec | undefined, request: FastifyRequest, reply: FastifyReply): boolean {
  if (!cors) return false;
  const origin = request.headers.origin;
  const allowed = allowedOrigin(cors, origin);
  const preflight =
    request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  reply.header('vary', 'Origin');
  if (allowed) {
    reply.header('access-control-allow-origin', allowed);
    if (cors.credentials) reply.header('access-control-allow-credentials', 'true');
    if (cors.exposeHeaders?.length)
      reply.header('access-control-expose-headers', cors.exposeHeaders.join(', '));
  }
  if (!preflight) return false;
  if (allowed) {
    reply.header(
      'access-control-allow-methods',
      (cors.methods ?? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).join(', '),
    );
    reply.header(
      'access-control-allow-headers',
      (cors.headers ?? ['authorization', 'content-type', 'x-csrf-token']).join(', '),
    );
    reply.header('access-control-max-age', String(cors.maxAgeSec));
  }
  void reply.code(204).send();
  return true;
}
