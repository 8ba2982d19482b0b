/**
 * `createServiceClient()`: calls another Rampart service over mutual TLS (undici), with the
 * caller's access token (propagation) or the service's own client-credentials token, the
 * request id, a per-attempt timeout, retries for idempotent calls and a circuit breaker.
 */
import { Agent, type Dispatcher } from 'undici';
import type { Principal } from '../security/principal.js';
import type { ClientCredentialsSource } from './client-credentials.js';
import {
  BrokenCircuitError,
  TaskCancelledError,
  createPolicies,
  type BreakerOptions,
  type RetryOptions,
} from './resilience.js';
import { ServiceClientError } from './service-client-error.js';

export interface ServiceClientOptions {
  /** The peer's name (errors and logs). */
  name: string;
  /** e.g. `https://localhost:8092`. */
  baseUrl: string;
  /** Client certificate, key and the CA that signed the peer's certificate (PEM). */
  tls?: { ca: string | Buffer; cert: string | Buffer; key: string | Buffer };
  /** `'propagate'`: the caller's token; a source: the service's own token; `'none'`: no token. */
  tokenSource: 'propagate' | 'none' | Pick<ClientCredentialsSource, 'getToken' | 'invalidate'>;
  /** Per attempt, connection to last body byte (default 5000 ms). */
  timeoutMs?: number;
  /** Retries of idempotent calls (default `{ retries: 2 }`); `false` turns them off. */
  retries?: RetryOptions | false;
  /** Circuit breaker (default `{ consecutiveFailures: 5, halfOpenAfterMs: 10000 }`); `false` turns it off. */
  breaker?: BreakerOptions | false;
  /** Largest response body read (default 10 MiB). */
  maxResponseBytes?: number;
  /** Use this dispatcher instead of creating one (tests, shared pools). */
  dispatcher?: Dispatcher;
}

export interface ServiceRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** Path and query, e.g. `/accounts/me`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Overrides the method's idempotency (e.g. a POST with an idempotency key). */
  idempotent?: boolean;
}

export interface CallContext {
  /** Whose token to propagate (required with `tokenSource: 'propagate'`). */
  principal?: Principal | undefined;
  /** The incoming request id, sent as `x-request-id`. */
  requestId?: string | undefined;
}

export interface ServiceResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the peer answered JSON, else the text. */
  body: T;
}

export interface ServiceClient {
  request<T = unknown>(request: ServiceRequest, context?: CallContext): Promise<ServiceResponse<T>>;
  get<T = unknown>(path: string, context?: CallContext): Promise<ServiceResponse<T>>;
  post<T = unknown>(path: string, json: unknown, context?: CallContext): Promise<ServiceResponse<T>>;
  close(): Promise<void>;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']); // RFC 9110 §9.2.2

/**
 * @example
 * const accounts = createServiceClient({ name: 'accounts', baseUrl: 'https://localhost:8092',
 *   tls: await loadTlsMaterial(pkiDir, 'orders'), tokenSource: 'propagate' });
 * const me = await accounts.get('/accounts/me', { principal: request.principal, requestId: request.id });
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new TypeError(`invalid baseUrl: ${options.baseUrl}`);
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  const ownsDispatcher = !options.dispatcher;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      ...(options.tls
        ? { connect: { ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key } }
        : {}),
    });
  const policies = createPolicies({
    timeoutMs,
    retry: options.retries === false ? false : (options.retries ?? {}),
    breaker: options.breaker === false ? false : (options.breaker ?? {}),
  });

  async function token(context: CallContext): Promise<string | undefined> {
    if (options.tokenSource === 'none') return undefined;
    if (options.tokenSource === 'propagate') {
      if (!context.principal)
        throw Object.assign(
          new ServiceClientError(options.name, 'no_principal', 'no principal to propagate'),
          { noRetry: true },
        );
      return context.principal.token;
    }
    try {
      return await options.tokenSource.getToken();
    } catch (error) {
      throw new ServiceClientError(options.name, 'token', 'could not get a service token', { cause: error });
    }
  }

  async function attempt(
    request: ServiceRequest,
    context: CallContext,
    bearer: string | undefined,
    signal: AbortSignal,
  ): Promise<ServiceResponse> {
    const url = new URL(request.path, base);
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (context.requestId) headers['x-request-id'] = context.requestId;
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    const response = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method ?? 'GET',
      headers,
      ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : {}),
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        response.body.destroy();
        throw Object.assign(
          new ServiceClientError(
            options.name,
            'response_too_large',
            `response larger than ${maxBytes} bytes`,
          ),
          { noRetry: true },
        );
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const type = String(response.headers['content-type'] ?? '');
    const body = /[/+]json\b/.test(type) && text.length > 0 ? (JSON.parse(text) as unknown) : text;
    return { status: response.statusCode, headers: response.headers, body };
  }

  async function execute(
    request: ServiceRequest,
    context: CallContext,
    bearer: string | undefined,
  ): Promise<ServiceResponse> {
    const idempotent = request.idempotent ?? IDEMPOTENT.has(request.method ?? 'GET');
    try {
      return await (idempotent ? policies.idempotent : policies.other).execute(({ signal }) =>
        attempt(request, context, bearer, signal),
      );
    } catch (error) {
      if (error instanceof ServiceClientError) throw error;
      if (error instanceof BrokenCircuitError)
        throw new ServiceClientError(options.name, 'circuit_open', 'circuit open after repeated failures', {
          cause: error,
        });
      if (error instanceof TaskCancelledError)
        throw new ServiceClientError(options.name, 'timeout', `no answer within ${timeoutMs} ms`, {
          cause: error,
        });
      throw new ServiceClientError(
        options.name,
        'network',
        error instanceof Error ? error.message : 'request failed',
        { cause: error },
      );
    }
  }

  const client: ServiceClient = {
    async request<T>(request: ServiceRequest, context: CallContext = {}) {
      const bearer = await token(context);
      let response = await execute(request, context, bearer);
      // Our own token may have been revoked or rotated: fetch a fresh one once.
      if (response.status === 401 && typeof options.tokenSource === 'object') {
        options.tokenSource.invalidate();
        response = await execute(request, context, await token(context));
      }
      return response as ServiceResponse<T>;
    },
    get: (path, context) => client.request({ method: 'GET', path }, context),
    post: (path, json, context) => client.request({ method: 'POST', path, json }, context),
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
  return client;
}
