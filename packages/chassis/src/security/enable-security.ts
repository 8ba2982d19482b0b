/**
 * One call that makes a chassis service a resource server: verifier, revocation deny-list
 * (started when the server listens, stopped on close, in readiness), deny-by-default routes,
 * and denials written to the audit log. This is what `createService({ security })` runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HealthRegistry } from '../health/health-registry.js';
import type { FetchLike } from './fetch-json.js';
import type { Denial, PermissionMap } from './policy.js';
import { registerSecurity } from './register-security.js';
import type { SecurityConfig } from './security-config.js';
import { createTokenVerification, type TokenVerification } from './token-verification.js';

export interface EnableSecurityOptions {
  config: SecurityConfig;
  /** The role → permission map declared in code; `config.permissions` wins when it has entries. */
  permissions?: PermissionMap;
  fetch?: FetchLike;
}

/** What `enableSecurity` built: the verifier, the deny-list and the service's own token source. */
export type ServiceSecurity = TokenVerification;

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
  const { verifier, denyList, tokens } = createTokenVerification(app, config, {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    keyPrefix: 'security.',
  });
  const permissions =
    Object.keys(config.permissions).length > 0 ? config.permissions : (options.permissions ?? {});
  // No `denyList` here: the verifier already checks it on every call, cached tokens included.
  registerSecurity(app, {
    verifier,
    permissions,
    ...(app.serviceName ? { realm: app.serviceName } : {}),
    onDenied: auditDenial,
  });

  return { verifier, denyList, tokens };
}
