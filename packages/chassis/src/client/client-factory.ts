/**
 * `app.client('accounts')`: one service client per peer, created on first use and closed with
 * the service. Calls carry the caller's token by default (`'propagate'`); `{ as: 'service' }`
 * uses this service's own client-credentials token, requested per peer with RFC 8707
 * `resource=<peer>` so the peer finds itself in `aud`.
 */
import type { TlsMaterial } from '../tls/dev-pki.js';
import { createClientCredentialsSource, type ClientCredentialsSource } from './client-credentials.js';
import type { BreakerOptions, RetryOptions } from './resilience.js';
import { createServiceClient, type ServiceClient } from './service-client.js';

export interface ClientFactoryOptions {
  /** Peer name → base URL, e.g. `{ accounts: 'https://localhost:8092' }`. */
  services: Readonly<Record<string, string>>;
  /** This service's certificate, key and the CA (mutual TLS). */
  tls?: TlsMaterial | undefined;
  /** For `{ as: 'service' }` calls: how to get this service's own tokens. */
  credentials?:
    { issuer?: string; tokenEndpoint?: string; clientId: string; clientSecret: string } | undefined;
  timeoutMs?: number;
  retries?: RetryOptions | false;
  breaker?: BreakerOptions | false;
}

export interface ClientFactory {
  client(name: string, options?: { as?: 'caller' | 'service' }): ServiceClient;
  close(): Promise<void>;
}

/**
 * @example
 * const clients = createClientFactory({ services: { accounts: 'https://localhost:8092' }, tls });
 * await clients.client('accounts').get('/accounts/me', { principal: request.principal, requestId: request.id });
 */
export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  const clients = new Map<string, ServiceClient>();
  const tokenSources = new Map<string, ClientCredentialsSource>();

  function ownTokens(peer: string): ClientCredentialsSource {
    const credentials = options.credentials;
    if (!credentials)
      throw new Error(`${peer}: calls as this service need security.clientSecret to be configured`);
    let source = tokenSources.get(peer);
    if (!source) {
      source = createClientCredentialsSource({ ...credentials, audience: peer });
      tokenSources.set(peer, source);
    }
    return source;
  }

  return {
    client(name, { as = 'caller' } = {}) {
      const key = `${name}\u0000${as}`;
      let client = clients.get(key);
      if (client) return client;
      const baseUrl = options.services[name];
      if (!baseUrl)
        throw new Error(`unknown service ${JSON.stringify(name)}: add it to the services configuration`);
      client = createServiceClient({
        name,
        baseUrl,
        ...(options.tls ? { tls: options.tls } : {}),
        tokenSource: as === 'service' ? ownTokens(name) : 'propagate',
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.retries === undefined ? {} : { retries: options.retries }),
        ...(options.breaker === undefined ? {} : { breaker: options.breaker }),
      });
      clients.set(key, client);
      return client;
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}
