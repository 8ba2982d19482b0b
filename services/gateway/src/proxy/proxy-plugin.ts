/**
 * The proxy: one catch-all route in its own plugin context (bodies are streamed, not parsed),
 * whose `onRequest` hook runs the gateway's steps in order — normalize the path, route, CORS,
 * method, body size, authenticate, rate-limit — and whose handler forwards.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import { gatewayError } from '../errors.js';
import type { EdgeAuth } from '../auth/edge-auth.js';
import { nextTraceparent } from '../headers/traceparent.js';
import { upstreamHeaders } from '../headers/upstream-headers.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import { normalizePath } from '../path/normalize-path.js';
import type { ActiveRoutes } from '../routes/active-routes.js';
import type { CompiledRoute } from '../routes/route-table.js';
import { limitBody } from './body-limit.js';
import { applyCors } from './cors.js';
import { forward } from './forward.js';
import type { GatewayRequestState } from './request-state.js';

export interface ProxyPluginOptions {
  routes: ActiveRoutes;
  dispatcher: Dispatcher;
  auth: EdgeAuth;
  metrics: GatewayMetrics;
  sessionCookie: string;
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export async function proxyPlugin(app: FastifyInstance, options: ProxyPluginOptions): Promise<void> {
  const { routes, metrics, auth } = options;
  // Bodies pass through as streams, counted against the route's limit.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    const state = request.gateway;
    const limit = state?.route?.spec.bodyLimit ?? 0;
    const limited = payload.pipe(
      limitBody(
        limit,
        () => state && (state.bodyTooLarge = true),
        (n) => state && (state.bytesIn += n),
      ),
    );
    payload.on('error', (error) => limited.destroy(error));
    done(null, limited);
  });

  const rateLimit = async (request: FastifyRequest, reply: FastifyReply, route: CompiledRoute) => {
    const limiter = route.limiter;
    if (!limiter) return;
    const principal = request.gateway?.principal;
    const key =
      limiter.spec.key === 'user' && principal
        ? `u:${principal.sub}`
        : limiter.spec.key === 'client' && principal
          ? `c:${principal.clientId}`
          : `ip:${request.gateway!.clientIp}`; // X-Forwarded-For only through trusted proxies
    const decision = await limiter.consume(key);
    reply.headers(decision.headers);
    if (!decision.allowed) {
      metrics.rateLimited.inc({ route: route.name, key: limiter.spec.key });
      throw gatewayError('GW_ERR_RATE_LIMITED', { headers: decision.headers });
    }
  };

  app.addHook('onRequest', async (request, reply) => {
    const normalized = normalizePath(request.raw.url ?? '');
    const state: GatewayRequestState = {
      path: normalized.ok ? normalized.path : '',
      query: normalized.ok ? normalized.query : '',
      route: undefined,
      principal: undefined,
      authorization: undefined,
      upstream: undefined,
      upstreamMs: undefined,
      attempts: 0,
      bodyTooLarge: false,
      bytesIn: 0,
      bytesOut: undefined,
      clientIp: request.ip,
    };
    request.gateway = state;
    if (!normalized.ok) {
      metrics.pathRejected.inc({ reason: normalized.reason });
      throw gatewayError('GW_ERR_BAD_PATH', { detail: `request path refused: ${normalized.reason}` });
    }
    const route = routes.table.match(normalized.path);
    if (!route) throw gatewayError('GW_ERR_NO_ROUTE');
    state.route = route;
    if (applyCors(route.spec.cors, request, reply)) return reply;
    if (route.methods && !route.methods.has(request.method)) {
      reply.header('allow', [...route.methods].join(', '));
      throw gatewayError('GW_ERR_METHOD_NOT_ALLOWED');
    }
    const length = request.headers['content-length'];
    if (length !== undefined && Number(length) > route.spec.bodyLimit)
      throw gatewayError('GW_ERR_BODY_TOO_LARGE', {
        detail: `the body exceeds ${route.spec.bodyLimit} bytes`,
      });
    const byIp = route.limiter?.spec.key === 'ip' || route.spec.auth === 'none';
    if (byIp) await rateLimit(request, reply, route);
    const identity = await auth.authenticate(request, route);
    state.principal = identity.principal;
    state.authorization = identity.authorization;
    if (!byIp) await rateLimit(request, reply, route);
  });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const state = request.gateway as GatewayRequestState;
    const headers = upstreamHeaders(request.headers, {
      requestId: request.id,
      traceparent: nextTraceparent(request.headers.traceparent),
      clientIp: state.clientIp,
      proto: request.protocol,
      host: request.headers.host,
      authorization: state.authorization,
      sessionCookie: options.sessionCookie,
      contentLength: request.headers['content-length'],
    });
    forward(request, reply, { metrics, dispatcher: options.dispatcher, headers });
    return reply;
  };
  app.route({ method: [...ALL_METHODS], url: '/', handler });
  app.route({ method: [...ALL_METHODS], url: '/*', handler });
}
