/**
 * Forwards one request: picks an upstream (round robin, skipping ejected and open-breaker ones),
 * runs the exchange through that upstream's breaker (judged when the response headers arrive),
 * and retries idempotent requests without a body after a connect error or a 503, with backoff,
 * preferring another upstream. Every failure becomes a problem response (502, 503 or 504) — or,
 * once response headers have been sent, a closed connection; never an unhandled error.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BrokenCircuitError } from 'cockatiel';
import type { Dispatcher } from 'undici';
import { sendProblem, toProblem } from '@rampart/chassis';
import { gatewayError } from '../errors.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import { forwardPath, type CompiledRoute } from '../routes/route-table.js';
import { classifyFailure, type FailureKind } from './classify-error.js';
import type { GatewayRequestState } from './request-state.js';
import { ClientAborted, type Upstream } from './upstream.js';
import { UpstreamExchange } from './upstream-exchange.js';

// Methods whose repetition has no further effect (RFC 9110 §9.2.2) and which rarely carry a body.
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

class AttemptFailed extends Error {
  constructor(
    readonly kind: FailureKind | 'status',
    readonly exchange: UpstreamExchange | undefined,
    readonly statusCode?: number,
    cause?: unknown,
  ) {
    super(kind, { cause });
  }
}

class Aborted extends ClientAborted {}

export interface ForwardOptions {
  metrics: GatewayMetrics;
  /** The undici pools the upstreams are reached through. */
  dispatcher: Dispatcher;
  /** Headers for the upstream, computed once per request. */
  headers: Record<string, string>;
}

export function forward(request: FastifyRequest, reply: FastifyReply, options: ForwardOptions): void {
  const state = request.gateway as GatewayRequestState;
  const route = state.route as CompiledRoute;
  const spec = route.spec;
  const path = `${forwardPath(spec, state.path)}${state.query}`;
  const hasBody =
    request.headers['content-length'] !== undefined
      ? request.headers['content-length'] !== '0'
      : request.headers['transfer-encoding'] !== undefined;
  const retryable = RETRYABLE_METHODS.has(request.method) && !hasBody;
  // The body stream the content-type parser made (counted against the route's limit), if any.
  const body = (request.body as Readable | undefined) ?? null;
  let tried: Set<Upstream> | undefined;

  const fail = (
    code:
      | 'GW_ERR_BAD_GATEWAY'
      | 'GW_ERR_UPSTREAM_UNAVAILABLE'
      | 'GW_ERR_UPSTREAM_TIMEOUT'
      | 'GW_ERR_BODY_TOO_LARGE',
    cause?: unknown,
  ) => {
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    const error = gatewayError(code, {
      cause,
      ...(code === 'GW_ERR_UPSTREAM_UNAVAILABLE' ? { headers: { 'retry-after': '1' } } : {}),
    });
    const { problem, headers } = toProblem(error, request);
    // Sent directly: upstream failures are the upstream's, not exceptions of the gateway.
    void sendProblem(reply, problem, headers);
  };

  /** Forwards the upstream's response to the client: from here on the raw response is ours. */
  const deliver = (exchange: UpstreamExchange) => {
    const length = exchange.response?.headers['content-length'];
    if (typeof length === 'string') state.bytesOut = Number(length);
    reply.hijack();
    exchange.commit(reply.raw, reply.getHeaders() as OutgoingHttpHeaders);
  };

  const attempt = (n: number): void => {
    const upstream = route.pool.pick(tried) ?? (tried ? route.pool.pick() : undefined);
    if (!upstream) return fail('GW_ERR_UPSTREAM_UNAVAILABLE');
    (tried ??= new Set()).add(upstream);
    state.upstream = upstream.url;
    state.attempts = n + 1;
    const started = performance.now();
    const exchange = new UpstreamExchange();
    upstream.breaker
      .execute(() => {
        // The client going away cancels the upstream request; the breaker's trial still ends.
        const onClose = () => exchange.abort(new Aborted());
        reply.raw.once('close', onClose);
        options.dispatcher.dispatch(
          {
            origin: upstream.origin,
            path: `${upstream.basePath}${path}`,
            method: request.method,
            headers: options.headers,
            body,
            headersTimeout: spec.timeoutMs,
            bodyTimeout: spec.timeoutMs,
          },
          exchange,
        );
        return exchange.started.then(
          (response) => {
            reply.raw.off('close', onClose);
            if (response.statusCode >= 502 && response.statusCode <= 504)
              throw new AttemptFailed('status', exchange, response.statusCode);
            return exchange;
          },
          (error: unknown) => {
            reply.raw.off('close', onClose);
            throw error instanceof ClientAborted
              ? error
              : new AttemptFailed(classifyFailure(error), undefined, undefined, error);
          },
        );
      })
      .then(
        () => {
          record(upstream, 'ok', started);
          upstream.recoverFromEjection();
          deliver(exchange);
        },
        (error: unknown) => onFailure(error, upstream, started, n),
      );
  };

  const record = (upstream: Upstream, outcome: string, started: number) => {
    const ms = performance.now() - started;
    state.upstreamMs = (state.upstreamMs ?? 0) + ms;
    options.metrics.upstreamDuration(route.name, upstream.url, outcome).observe(ms / 1000);
  };

  const onFailure = (error: unknown, upstream: Upstream, started: number, n: number): void => {
    if (error instanceof Aborted) return record(upstream, 'aborted', started);
    if (error instanceof BrokenCircuitError) {
      // Open (or half-open with its one trial in flight): another upstream may still take it.
      if (route.pool.pick(tried)) return attempt(n);
      return fail('GW_ERR_UPSTREAM_UNAVAILABLE', error);
    }
    if (!(error instanceof AttemptFailed)) return fail('GW_ERR_BAD_GATEWAY', error);
    record(upstream, error.kind === 'status' ? `status_${error.statusCode}` : error.kind, started);
    if (error.kind === 'connect') upstream.eject(spec.ejectMs);
    if (error.kind === 'body_too_large' || state.bodyTooLarge) return fail('GW_ERR_BODY_TOO_LARGE', error);
    const exchange = error.exchange;
    const canRetry = retryable && n < spec.retries && (error.kind === 'connect' || error.statusCode === 503);
    if (canRetry && !reply.sent) {
      exchange?.discard();
      const delay = spec.retryBackoffMs * 2 ** n * (0.5 + Math.random() / 2);
      setTimeout(() => attempt(n + 1), delay).unref();
      return;
    }
    // The upstream's own 502/503/504 answer goes to the client as it is.
    if (exchange) return deliver(exchange);
    if (error.kind === 'timeout') return fail('GW_ERR_UPSTREAM_TIMEOUT', error);
    return fail('GW_ERR_BAD_GATEWAY', error);
  };

  attempt(0);
}
