/**
 * The proxy: one catch-all route in its own plugin context (bodies are streamed, not parsed),
 * whose `onRequest` hook runs the gateway's steps in order — normalize the path, route, CORS,
 * method, body size, authenticate, rate-limit — and whose handler forwards.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import { gatewayError } from '../errors.js';
import type { EdgeAuth, EdgeIdentity } from '../auth/edge-auth.js';
import { nextTraceparent } from '../headers/traceparent.js';
import { upstreamHeaders } from '../headers/upstream-headers.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import { normalizePath } from '../path/normalize-path.js';
import type { ActiveRoutes } from '../routes/active-routes.js';
import type { LimitDecision } from '../rate-limit/rate-limiter.js';
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

  const applyLimit = (reply: FastifyReply, route: CompiledRoute, decision: LimitDecision): void => {
    if (!decision.allowed) {
      metrics.rateLimited.inc({ route: route.name, key: route.limiter!.spec.key });
      throw gatewayError('GW_ERR_RATE_LIMITED', { headers: decision.headers });
    }
    const headers = decision.headers;
    for (const name in headers) reply.header(name, headers[name]);
  };

  // Undefined when nothing has to wait: no limit, or one counted in-process. Throws (or rejects)
  // with the refusal.
  const rateLimit = (
    request: FastifyRequest,
    reply: FastifyReply,
    route: CompiledRoute,
  ): Promise<void> | undefined => {
    const limiter = route.limiter;
    if (!limiter) return undefined;
    const principal = request.gateway?.principal;
    const key =
      limiter.spec.key === 'user' && principal
        ? `u:${principal.sub}`
        : limiter.spec.key === 'client' && principal
          ? `c:${principal.clientId}`
          : `ip:${request.gateway!.clientIp}`; // X-Forwarded-For only through trusted proxies
    const decision = limiter.consume(key);
    if (decision instanceof Promise) return decision.then((d) => applyLimit(reply, route, d));
    applyLimit(reply, route, decision);
    return undefined;
  };

  const settle = (
    request: FastifyRequest,
    reply: FastifyReply,
    route: CompiledRoute,
    limitAfter: boolean,
    identity: EdgeIdentity,
  ): Promise<void> | undefined => {
    const state = request.gateway!;
    state.principal = identity.principal;
    state.authorization = identity.authorization;
    return limitAfter ? rateLimit(request, reply, route) : undefined;
  };

  const identify = (
    request: FastifyRequest,
    reply: FastifyReply,
    route: CompiledRoute,
    limitAfter: boolean,
  ): Promise<void> | undefined => {
    const identity = auth.authenticate(request, route);
    return identity instanceof Promise
      ? identity.then((known) => settle(request, reply, route, limitAfter, known))
      : settle(request, reply, route, limitAfter, identity);
  };

  /**
   * The gateway's steps for one request. Synchronous as far as they can be (a cached token, an
   * in-process limit): a promise only for what has to wait. Throws (or rejects) with the refusal.
   */
  const admit = (request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined => {
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
    if (applyCors(route.spec.cors, request, reply)) return undefined; // a preflight, answered
    if (route.methods && !route.methods.has(request.method)) {
      reply.header('allow', [...route.methods].join(', '));
      throw gatewayError('GW_ERR_METHOD_NOT_ALLOWED');
    }
    const length = request.headers['content-length'];
    if (length !== undefined && Number(length) > route.spec.bodyLimit)
      throw gatewayError('GW_ERR_BODY_TOO_LARGE', {
        detail: `the body exceeds ${route.spec.bodyLimit} bytes`,
      });
    // Limits keyed by IP (and every limit of an unauthenticated route) apply before
    // authentication, so failed logins count too; the others need the principal.
    const byIp = route.limiter?.spec.key === 'ip' || route.spec.auth === 'none';
    if (!byIp) return identify(request, reply, route, true);
    const limited = rateLimit(request, reply, route);
    return limited
      ? limited.then(() => identify(request, reply, route, false))
      : identify(request, reply, route, false);
  };

  // Callback style: a request that needs no waiting goes on without a promise.
  app.addHook('onRequest', (request, reply, done) => {
    let pending: Promise<void> | undefined;
    try {
      pending = admit(request, reply);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (pending === undefined) done();
    else pending.then(() => done(), done);
  });

  // Synchronous and returning nothing: the response is written when the upstream answers. (An
  // async handler, or returning `reply` — a thenable — makes Fastify wait for the response with
  // `finished()` and a promise on every request.)
  const handler = (request: FastifyRequest, reply: FastifyReply): void => {
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
  };
  app.route({ method: [...ALL_METHODS], url: '/', handler });
  app.route({ method: [...ALL_METHODS], url: '/*', handler });
}
