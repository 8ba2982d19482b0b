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
    readonly statusCode?: number,
    cause?: unknown,
  ) {
    super(kind, { cause });
  }
}

// An upstream's own 502, 503 or 504 is a failed attempt (for its breaker, and for a retry).
const refuseGatewayErrors = (statusCode: number): AttemptFailed | undefined =>
  statusCode >= 502 && statusCode <= 504 ? new AttemptFailed('status', statusCode) : undefined;

class Aborted extends ClientAborted {}

export interface ForwardOptions {
  metrics: GatewayMetrics;
  /** The undici pools the upstreams are reached through. */
  dispatcher: Dispatcher;
  /** Headers for the upstream, computed once per request. */
  headers: Record<string, string>;
}

type ProblemCode =
  'GW_ERR_BAD_GATEWAY' | 'GW_ERR_UPSTREAM_UNAVAILABLE' | 'GW_ERR_UPSTREAM_TIMEOUT' | 'GW_ERR_BODY_TOO_LARGE';

export function forward(request: FastifyRequest, reply: FastifyReply, options: ForwardOptions): void {
  new Forwarding(request, reply, options).attempt(0);
}

/** One request's way to an upstream: its attempts, and what the client gets. */
class Forwarding {
  readonly #request: FastifyRequest;
  readonly #reply: FastifyReply;
  readonly #options: ForwardOptions;
  readonly #state: GatewayRequestState;
  readonly #route: CompiledRoute;
  readonly #path: string;
  readonly #retryable: boolean;
  /** The body stream the content-type parser made (counted against the route's limit), if any. */
  readonly #body: Readable | null;
  #tried: Set<Upstream> | undefined;
  /** The exchange in flight; the client going away cancels it. */
  #current: UpstreamExchange | undefined;
  #clientGone = false;

  constructor(request: FastifyRequest, reply: FastifyReply, options: ForwardOptions) {
    this.#request = request;
    this.#reply = reply;
    this.#options = options;
    const state = request.gateway as GatewayRequestState;
    this.#state = state;
    this.#route = state.route as CompiledRoute;
    this.#path = `${forwardPath(this.#route.spec, state.path)}${state.query}`;
    const hasBody =
      request.headers['content-length'] !== undefined
        ? request.headers['content-length'] !== '0'
        : request.headers['transfer-encoding'] !== undefined;
    this.#retryable = RETRYABLE_METHODS.has(request.method) && !hasBody;
    this.#body = (request.body as Readable | undefined) ?? null;
    // One listener for the whole request (every attempt and the backoff between them). The
    // breaker's trial of a cancelled attempt still ends: its exchange rejects with `Aborted`.
    reply.raw.on('close', () => {
      if (reply.raw.writableFinished) return;
      this.#clientGone = true;
      this.#current?.abort(new Aborted());
    });
  }

  attempt(n: number): void {
    if (this.#clientGone) return;
    const route = this.#route;
    const tried = this.#tried;
    const upstream = route.pool.pick(tried) ?? (tried ? route.pool.pick() : undefined);
    if (!upstream) return this.#fail('GW_ERR_UPSTREAM_UNAVAILABLE');
    (this.#tried ??= new Set()).add(upstream);
    const state = this.#state;
    state.upstream = upstream.url;
    state.attempts = n + 1;
    const started = performance.now();
    const exchange = new UpstreamExchange(refuseGatewayErrors);
    upstream.breaker
      .execute(() => {
        this.#current = exchange; // dispatched (an open breaker never gets here)
        this.#options.dispatcher.dispatch(
          {
            origin: upstream.origin,
            path: `${upstream.basePath}${this.#path}`,
            method: this.#request.method,
            headers: this.#options.headers,
            body: this.#body,
            headersTimeout: route.spec.timeoutMs,
            bodyTimeout: route.spec.timeoutMs,
          },
          exchange,
        );
        return exchange.started;
      })
      .then(
        () => {
          this.#record(upstream, 'ok', started);
          upstream.recoverFromEjection();
          this.#deliver(exchange);
        },
        (error: unknown) => this.#onFailure(error, upstream, started, n),
      );
  }

  /** Forwards the upstream's response to the client: from here on the raw response is ours. */
  #deliver(exchange: UpstreamExchange): void {
    const reply = this.#reply;
    const length = exchange.response?.headers['content-length'];
    if (typeof length === 'string') this.#state.bytesOut = Number(length);
    reply.hijack();
    exchange.commit(reply.raw, reply.getHeaders() as OutgoingHttpHeaders);
  }

  #fail(code: ProblemCode, cause?: unknown): void {
    const reply = this.#reply;
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    const error = gatewayError(code, {
      cause,
      ...(code === 'GW_ERR_UPSTREAM_UNAVAILABLE' ? { headers: { 'retry-after': '1' } } : {}),
    });
    const { problem, headers } = toProblem(error, this.#request);
    // Sent directly: upstream failures are the upstream's, not exceptions of the gateway.
    void sendProblem(reply, problem, headers);
  }

  #record(upstream: Upstream, outcome: string, started: number): void {
    const ms = performance.now() - started;
    const state = this.#state;
    state.upstreamMs = (state.upstreamMs ?? 0) + ms;
    this.#options.metrics.upstreamDuration(this.#route.name, upstream.url, outcome).observe(ms / 1000);
  }

  #onFailure(error: unknown, upstream: Upstream, started: number, n: number): void {
    if (error instanceof Aborted) return this.#record(upstream, 'aborted', started);
    const route = this.#route;
    if (error instanceof BrokenCircuitError) {
      // Open (or half-open with its one trial in flight): another upstream may still take it.
      if (route.pool.pick(this.#tried)) return this.attempt(n);
      return this.#fail('GW_ERR_UPSTREAM_UNAVAILABLE', error);
    }
    const failed =
      error instanceof AttemptFailed ? error : new AttemptFailed(classifyFailure(error), undefined, error);
    const spec = route.spec;
    this.#record(upstream, failed.kind === 'status' ? `status_${failed.statusCode}` : failed.kind, started);
    if (failed.kind === 'connect') upstream.eject(spec.ejectMs);
    if (failed.kind === 'body_too_large' || this.#state.bodyTooLarge)
      return this.#fail('GW_ERR_BODY_TOO_LARGE', failed);
    // A refused status still has its response, held by the exchange.
    const exchange = failed.kind === 'status' ? this.#current : undefined;
    const canRetry =
      this.#retryable && n < spec.retries && (failed.kind === 'connect' || failed.statusCode === 503);
    if (canRetry && !this.#reply.sent) {
      exchange?.discard();
      const delay = spec.retryBackoffMs * 2 ** n * (0.5 + Math.random() / 2);
      setTimeout(() => this.attempt(n + 1), delay).unref();
      return;
    }
    // The upstream's own 502/503/504 answer goes to the client as it is.
    if (exchange) return this.#deliver(exchange);
    if (failed.kind === 'timeout') return this.#fail('GW_ERR_UPSTREAM_TIMEOUT', failed);
    return this.#fail('GW_ERR_BAD_GATEWAY', failed);
  }
}
