/**
 * One call that makes a chassis service a resource server: verifier, revocation deny-list
 * (started when the server listens, stopped on close, in readiness), deny-by-default routes,
 * and denials written to the audit log. This is what `createService({ security })` runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HealthRegistry } from '../health/health-registry.js';
import { createClientCredentialsSource, type ClientCredentialsSource } from '../client/client-credentials.js';
import { createDenyList, type DenyList } from './deny-list.js';
import type { FetchLike } from './fetch-json.js';
import type { Denial, PermissionMap } from './policy.js';
import { registerSecurity } from './register-security.js';
import type { SecurityConfig } from './security-config.js';
import { createTokenVerifier, type TokenVerifier } from './verify-token.js';

export interface EnableSecurityOptions {
  config: SecurityConfig;
  /** The role → permission map declared in code; `config.permissions` wins when it has entries. */
  permissions?: PermissionMap;
  fetch?: FetchLike;
}

export interface ServiceSecurity {
  verifier: TokenVerifier;
  /** Undefined when the feed is off or no client secret is configured. */
  denyList: DenyList | undefined;
  /** The service's own client-credentials token source, when a client secret is configured. */
  tokens: ClientCredentialsSource | undefined;
}

type SecurableApp = FastifyInstance & { health: HealthRegistry; serviceName?: string };

async function auditDenial(request: FastifyRequest, denial: Denial): Promise<void> {
  // Anonymous requests without any token are routine noise (scanners, health probes); they are logged only.
  if (denial.code === 'missing_credentials') return;
  const audit = (request as { audit?: FastifyRequest['audit'] }).audit;
  await audit?.call(request, 'access.denied', {
    outcome: 'denied',
    resource: `route:${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
    details: { code: denial.code, status: denial.status, reason: denial.detail },
  });
}

/**
 * @example
 * const security = enableSecurity(app, { config: app.config.security, permissions: { admin: ['accounts:suspend'] } });
 */
export function enableSecurity(app: SecurableApp, options: EnableSecurityOptions): ServiceSecurity {
  const { config } = options;
  let feedFailures = 0;
  const tokens = config.clientSecret
    ? createClientCredentialsSource({
        ...(config.tokenEndpoint ? { tokenEndpoint: config.tokenEndpoint } : { issuer: config.issuer }),
        clientId: config.clientId,
        clientSecret: config.clientSecret,
      })
    : undefined;
  const denyList =
    tokens && config.revocationFeed
      ? createDenyList({
          issuer: config.issuer,
          ...(config.revocationFeedUrl ? { feedUrl: config.revocationFeedUrl } : {}),
          tokenSource: tokens,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          onError: (error) => {
            // One warning per outage, not one per reconnect attempt.
            if (feedFailures++ === 0)
              app.log.warn({ err: error }, 'revocation feed unreachable; reconnecting');
            else app.log.debug({ err: error }, 'revocation feed still unreachable');
          },
        })
      : undefined;
  const verifier = createTokenVerifier({
    issuer: config.issuer,
    audience: config.audience,
    ...(config.jwksUri ? { jwksUri: config.jwksUri } : {}),
    clockToleranceSec: config.clockToleranceSec,
    ...(denyList ? { isRevoked: (principal) => denyList.isRevoked(principal) } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onError: (error) => app.log.warn({ err: error }, 'fetching the issuer signing keys failed'),
  });
  const permissions =
    Object.keys(config.permissions).length > 0 ? config.permissions : (options.permissions ?? {});
  registerSecurity(app, {
    verifier,
    ...(denyList ? { denyList } : {}),
    permissions,
    ...(app.serviceName ? { realm: app.serviceName } : {}),
    onDenied: auditDenial,
  });

  if (denyList) {
    const check = denyList.healthCheck();
    app.health.register({
      ...check,
      check: () => {
        if (denyList.connected) feedFailures = 0;
        return check.check();
      },
    });
    app.addHook('onListen', async () => denyList.start());
    app.addHook('onClose', async () => denyList.stop());
  } else {
    const why = config.revocationFeed
      ? 'no security.clientSecret is configured'
      : 'security.revocationFeed is off';
    app.log.warn(`revocation feed disabled: ${why}; revoked tokens stay valid until they expire`);
    app.health.register({
      component: 'revocation-feed',
      measurement: 'lag',
      componentType: 'component',
      critical: false,
      check: () => ({ status: 'warn', output: `disabled: ${why}` }),
    });
  }
  return { verifier, denyList, tokens };
}
