/**
 * Forwards one request with `reply.from()`: picks an upstream (round robin, skipping ejected and
 * open-breaker ones), runs the attempt through that upstream's breaker, and retries idempotent
 * requests without a body after a connect error or a 503, with backoff, preferring another upstream.
 * Every failure becomes a problem response (502, 503 or 504) — or, once response headers have been
 * sent, a closed connection; never an unhandled error.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BrokenCircuitError } from 'cockatiel';
import { sendProblem, toProblem } from '@rampart/chassis';
import { gatewayError } from '../errors.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import { forwardPath, type CompiledRoute } from '../routes/route-table.js';
import { classifyFailure, type FailureKind } from './classify-error.js';
import type { GatewayRequestState } from './request-state.js';
import { ClientAborted, type Upstream } from './upstream.js';

// Methods whose repetition has no further effect (RFC 9110 §9.2.2) and which rarely carry a body.
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  stream: NodeJS.ReadableStream & { destroy(): void; resume(): void };
}

class AttemptFailed extends Error {
  constructor(
    readonly kind: FailureKind | 'status',
    readonly response: UpstreamResponse | undefined,
    cause?: unknown,
  ) {
    super(kind, { cause });
  }
}

class Aborted extends ClientAborted {}

// RFC 9110 §7.6.1: hop-by-hop fields of the upstream connection are not the client's.
const HOP_BY_HOP_RESPONSE = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'te',
];

function responseHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const listed = typeof headers.connection === 'string' ? headers.connection.toLowerCase().split(',') : [];
  for (const name of [...HOP_BY_HOP_RESPONSE, ...listed.map((n) => n.trim())]) delete headers[name];
  return headers;
}

export interface ForwardOptions {
  metrics: GatewayMetrics;
  /** Headers for the upstream, computed once per request. */
  headers: Record<string, string>;
  /** Re-applied after a discarded 503 (its headers had already been copied onto the reply). */
  ownHeaders: () => void;
}

export function forward(request: FastifyRequest, reply: FastifyReply, options: ForwardOptions): void {
  const state = request.gateway as GatewayRequestState;
  const route = state.route as CompiledRoute;
  const spec = route.spec;
  const url = `${forwardPath(spec, state.path)}${state.query}`;
  const hasBody =
    request.headers['content-length'] !== undefined
      ? request.headers['content-length'] !== '0'
      : request.headers['transfer-encoding'] !== undefined;
  const retryable = RETRYABLE_METHODS.has(request.method) && !hasBody;
  const tried = new Set<Upstream>();

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

  const attempt = (n: number): void => {
    const upstream = route.pool.pick(tried) ?? (tried.size > 0 ? route.pool.pick() : undefined);
    if (!upstream) return fail('GW_ERR_UPSTREAM_UNAVAILABLE');
    tried.add(upstream);
    state.upstream = upstream.url;
    state.attempts = n + 1;
    const started = performance.now();
    upstream.breaker
      .execute(
        () =>
          new Promise<UpstreamResponse>((resolve, reject) => {
            let settled = false;
            const settle = (fn: () => void) => {
              if (settled) return;
              settled = true;
              reply.raw.off('close', onClose);
              fn();
            };
            // reply-from drops the answer when the client went away; the breaker's trial must still end.
            const onClose = () => settle(() => reject(new Aborted()));
            reply.raw.once('close', onClose);
            reply.from(`${upstream.url}${url}`, {
              timeout: spec.timeoutMs,
              retriesCount: 0,
              retryDelay: () => null,
              rewriteRequestHeaders: () => options.headers,
              rewriteHeaders: responseHeaders,
              onError: (_reply, { error }) =>
                settle(() => reject(new AttemptFailed(classifyFailure(error), undefined, error))),
              onResponse: (_request, _reply, res) =>
                settle(() => {
                  const response = res as unknown as UpstreamResponse;
                  if (response.statusCode >= 502 && response.statusCode <= 504)
                    reject(new AttemptFailed('status', response));
                  else resolve(response);
                }),
            });
          }),
      )
      .then(
        (response) => {
          record(upstream, 'ok', started);
          upstream.recoverFromEjection();
          void reply.send(response.stream);
        },
        (error: unknown) => onFailure(error, upstream, started, n),
      );
  };

  const record = (upstream: Upstream, outcome: string, started: number) => {
    const ms = performance.now() - started;
    state.upstreamMs = (state.upstreamMs ?? 0) + ms;
    options.metrics.upstreamDuration.observe(
      { route: route.name, upstream: upstream.url, outcome },
      ms / 1000,
    );
  };

  const onFailure = (error: unknown, upstream: Upstream, started: number, n: number): void => {
    if (error instanceof Aborted) return record(upstream, 'aborted', started);
    if (error instanceof BrokenCircuitError) {
      // Open (or half-open with its one trial in flight): another upstream may still take it.
      if (route.pool.pick(tried)) return attempt(n);
      return fail('GW_ERR_UPSTREAM_UNAVAILABLE', error);
    }
    if (!(error instanceof AttemptFailed)) return fail('GW_ERR_BAD_GATEWAY', error);
    record(upstream, error.kind === 'status' ? `status_${error.response?.statusCode}` : error.kind, started);
    if (error.kind === 'connect') upstream.eject(spec.ejectMs);
    if (error.kind === 'body_too_large' || state.bodyTooLarge) return fail('GW_ERR_BODY_TOO_LARGE', error);
    const response = error.response;
    const canRetry =
      retryable && n < spec.retries && (error.kind === 'connect' || response?.statusCode === 503);
    if (canRetry && !reply.sent) {
      if (response) {
        // Discarded: an undici body destroyed without a listener would emit an unhandled 'error'.
        response.stream.on('error', () => undefined);
        response.stream.destroy();
        for (const name of Object.keys(response.headers)) reply.removeHeader(name);
        options.ownHeaders();
      }
      const delay = spec.retryBackoffMs * 2 ** n * (0.5 + Math.random() / 2);
      setTimeout(() => attempt(n + 1), delay).unref();
      return;
    }
    // The upstream's own 502/503/504 answer goes to the client as it is.
    if (response) return void reply.send(response.stream);
    if (error.kind === 'timeout') return fail('GW_ERR_UPSTREAM_TIMEOUT', error);
    return fail('GW_ERR_BAD_GATEWAY', error);
  };

  attempt(0);
}
