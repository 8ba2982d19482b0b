/**
 * The service's own access token (RFC 6749 §4.4 client credentials), fetched once and refreshed
 * shortly before expiry with single-flight: however many requests need a token at once, the
 * token endpoint sees one request. Within `refreshSkewSec` of expiry the current token is still
 * handed out while one background refresh runs; only an expired token makes callers wait.
 */
import type { Dispatcher } from 'undici';
import { request } from 'undici';

export interface ClientCredentialsOptions {
  /** The token endpoint; or give `issuer` and it is discovered (RFC 8414 `token_endpoint`). */
  tokenEndpoint?: string;
  issuer?: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to ask for. */
  scope?: string;
  /** The resource (RFC 8707 `resource`) the token is for. */
  audience?: string;
  /** Refresh this long before expiry (default 30 s). */
  refreshSkewSec?: number;
  /** Token endpoint timeout (default 5000 ms). */
  timeoutMs?: number;
  /** undici dispatcher, e.g. an Agent with TLS options. */
  dispatcher?: Dispatcher;
}

export interface ClientCredentialsSource {
  /** A valid access token; fetches or refreshes when needed. */
  getToken(): Promise<string>;
  /** Forgets the cached token (after a 401 from a peer, say). */
  invalidate(): void;
  /** Token endpoint requests made so far. */
  readonly requests: number;
}

export class TokenEndpointError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly error?: string,
  ) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}

// RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
function basicAuth(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

/**
 * @example
 * const tokens = createClientCredentialsSource({ tokenEndpoint: `${issuer}/token`,
 *   clientId: 'orders', clientSecret: app.config.clientSecret, scope: 'accounts:read' });
 * const token = await tokens.getToken();
 */
export function createClientCredentialsSource(options: ClientCredentialsOptions): ClientCredentialsSource {
  const endpoint = options.tokenEndpoint ?? options.issuer;
  if (!endpoint || !/^https?:\/\//.test(endpoint))
    throw new TypeError(`invalid tokenEndpoint: ${String(endpoint)} (give tokenEndpoint or issuer)`);
  if (!options.clientId) throw new TypeError('invalid clientId: empty');
  const skewMs = (options.refreshSkewSec ?? 30) * 1000;
  let current: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  let requests = 0;
  let tokenEndpoint = options.tokenEndpoint;

  async function discover(issuer: string): Promise<string> {
    const response = await request(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const metadata = (await response.body.json().catch(() => ({}))) as { token_endpoint?: unknown };
    if (response.statusCode !== 200 || typeof metadata.token_endpoint !== 'string')
      throw new TokenEndpointError(`discovery at ${issuer} gave no token_endpoint`, response.statusCode);
    return metadata.token_endpoint;
  }

  async function fetchToken(): Promise<string> {
    requests++;
    tokenEndpoint ??= await discover(options.issuer as string);
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) form.set('scope', options.scope);
    if (options.audience) form.set('resource', options.audience);
    const response = await request(tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: basicAuth(options.clientId, options.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const text = await response.body.text();
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // fall through: reported below with the status
    }
    if (response.statusCode !== 200 || typeof body.access_token !== 'string') {
      const error = typeof body.error === 'string' ? body.error : undefined;
      throw new TokenEndpointError(
        `token endpoint answered ${response.statusCode}${error ? ` ${error}` : ''}`,
        response.statusCode,
        error,
      );
    }
    // RFC 6749 §5.1: expires_in is RECOMMENDED; without it assume a short life.
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    current = { token: body.access_token, expiresAt: Date.now() + lifetime * 1000 };
    return body.access_token;
  }

  function refresh(): Promise<string> {
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    get requests() {
      return requests;
    },
    invalidate() {
      current = undefined;
    },
    async getToken() {
      const now = Date.now();
      if (current && now < current.expiresAt - skewMs) return current.token;
      if (current && now < current.expiresAt) {
        refresh().catch(() => undefined); // the current token is still good; a failed refresh retries next call
        return current.token;
      }
      return refresh();
    },
  };
}
