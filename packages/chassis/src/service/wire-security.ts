/**
 * Turns a service into an OAuth resource server with mutual-TLS peers: deny-by-default routes,
 * token verification and the revocation deny-list (`security.*`), per-resource ACLs in its
 * database, and `app.client(peer)` for calls to other services.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { createAcl, type Acl } from '../acl/index.js';
import { createClientFactory, type ClientFactory } from '../client/index.js';
import type { HealthRegistry } from '../health/health-registry.js';
import { enableSecurity, type PermissionMap, type SecurityConfig } from '../security/index.js';
import type { TlsMaterial } from '../tls/index.js';

export interface SecurityFeature {
  /** Role → permissions used by route policies (`config: { auth: { permissions } }`). */
  permissions?: PermissionMap;
}

interface WireOptions {
  security: SecurityFeature | undefined;
  securityConfig: SecurityConfig | undefined;
  peers: Readonly<Record<string, string>>;
  tls: TlsMaterial | undefined;
  db: Kysely<unknown> | undefined;
}

export function wireSecurity(app: FastifyInstance & { health: HealthRegistry }, options: WireOptions): void {
  const { securityConfig } = options;
  if (options.security && securityConfig) {
    enableSecurity(app, {
      config: securityConfig,
      ...(options.security.permissions ? { permissions: options.security.permissions } : {}),
    });
  }
  app.decorate(
    'acl',
    options.db
      ? createAcl(options.db)
      : {
          getter: () => {
            throw new Error(
              'app.acl needs the service database: createService({ database: { migrations } })',
            );
          },
        },
  );
  const clients: ClientFactory = createClientFactory({
    services: options.peers,
    tls: options.tls,
    credentials: securityConfig?.clientSecret
      ? {
          issuer: securityConfig.issuer,
          ...(securityConfig.tokenEndpoint ? { tokenEndpoint: securityConfig.tokenEndpoint } : {}),
          clientId: securityConfig.clientId,
          clientSecret: securityConfig.clientSecret,
        }
      : undefined,
  });
  app.decorate('client', (name: string, options?: { as?: 'caller' | 'service' }) =>
    clients.client(name, options),
  );
  app.addHook('onClose', () => clients.close());
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Per-resource access control lists in the service's database.
     *
     * @example
     * await app.acl.grant(`order:${id}`, request.principal.sub, 'owner');
     * if (!(await app.acl.check(request.principal, 'read', `order:${id}`))) throw notFound;
     */
    acl: Acl;
    /**
     * A client for a peer service (mutual TLS, the caller's token by default, retries, breaker).
     *
     * @example
     * const res = await app.client('accounts').get('/accounts/me', { principal: request.principal, requestId: request.id });
     */
    client: ClientFactory['client'];
  }
}
