/**
 * `registerSecurity()`: makes a Fastify app an OAuth 2.0 resource server, deny by default.
 *
 * Every route must declare `config: { public: true }` or `config: { auth: { … } }`. A route with
 * neither refuses anonymous callers with 401 and authenticated ones with 403. Credentials come
 * only from the `Authorization: Bearer` header (RFC 6750 §2.1; never from a URL). Answers follow
 * RFC 6750 §3.1 with an `application/problem+json` body; every refusal goes to `onDenied` so the
 * service can audit it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rampartError } from '../errors/rampart-error.js';
import { sendProblem, toProblem } from '../errors/problem-handler.js';
import type { ChassisErrorCode } from '../errors/codes.js';
import type { DenyList } from './deny-list.js';
import {
  evaluatePolicy,
  permissionsOf,
  validatePolicy,
  type Denial,
  type PermissionMap,
  type RoutePolicy,
} from './policy.js';
import type { Principal } from './principal.js';
import { TokenError } from './token-error.js';
import type { TokenVerifier } from './verify-token.js';
import { bearerChallenge, bearerToken, canonicalBearerCandidate } from './www-authenticate.js';

export interface SecurityOptions {
  verifier: TokenVerifier;
  /** Checked on every request (cached verifications included). */
  denyList?: Pick<DenyList, 'isRevoked'>;
  /** Role → permissions (RBAC); routes name permissions in `config.auth.permissions`. */
  permissions?: PermissionMap;
  /** `realm` of the challenge (default: the service name). */
  realm?: string;
  /** Called for every refusal, before the answer is sent (wire it to the audit log). Errors are logged, not thrown. */
  onDenied?: (request: FastifyRequest, denial: Denial) => void | Promise<void>;
}

export interface SecurityDecoration {
  readonly verifier: TokenVerifier;
  /** The permissions the principal's roles grant. */
  permissionsOf(principal: Principal): ReadonlySet<string>;
  /** Whether the principal's roles grant this permission. */
  can(principal: Principal | undefined, permission: string): boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's authorization policy; see `RoutePolicy`. Without it (or `public: true`) the route refuses everyone. */
    auth?: RoutePolicy;
  }
  interface FastifyRequest {
    /** The verified caller; set before the handler runs on every non-public route. */
    principal: Principal | undefined;
  }
  interface FastifyInstance {
    /** Present once `registerSecurity()` ran. */
    security: SecurityDecoration;
  }
}

type Credentials = { kind: 'none' } | { kind: 'malformed' } | { kind: 'bearer'; token: string };

function credentialsOf(request: FastifyRequest): Credentials {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return { kind: 'none' };
  if (!/^bearer(\s|$)/i.test(header)) return { kind: 'none' }; // another scheme is not a bearer credential
  const token = bearerToken(header);
  return token ? { kind: 'bearer', token } : { kind: 'malformed' };
}

function denialOf(error: unknown): Denial {
  if (error instanceof TokenError) {
    if (error.code === 'temporarily_unavailable')
      return { code: 'keys_unavailable', status: 503, detail: error.message };
    return {
      code: error.reason === 'revoked' ? 'revoked' : 'invalid_token',
      status: 401,
      detail: `${error.reason}: ${error.message}`,
    };
  }
  return {
    code: 'invalid_token',
    status: 401,
    detail: error instanceof Error ? error.message : 'invalid token',
  };
}

const CLIENT_DETAIL: Record<Denial['code'], string> = {
  missing_credentials: 'This route requires a bearer access token.',
  invalid_request: 'The Authorization header is malformed.',
  invalid_token: 'The access token is invalid or expired.',
  revoked: 'The access token is invalid or expired.',
  keys_unavailable: 'The token cannot be verified right now; try again shortly.',
  no_policy: 'This route has no access policy, so it is closed.',
  wrong_kind: 'This route is not available to this kind of caller.',
  insufficient_scope: 'The access token lacks a required scope.',
  missing_role: 'The caller lacks a required role.',
  missing_permission: 'The caller lacks a required permission.',
};

/**
 * @example
 * registerSecurity(app, { verifier, denyList, permissions: { admin: ['accounts:suspend'] },
 *   onDenied: (request, denial) => request.audit('access.denied', { outcome: 'denied', details: denial }) });
 * app.get('/accounts', { config: { auth: { roles: ['admin'] } } }, handler);
 */
export function registerSecurity(app: FastifyInstance, options: SecurityOptions): void {
  const map: PermissionMap = options.permissions ?? {};
  for (const [role, permissions] of Object.entries(map))
    if (!Array.isArray(permissions) || permissions.some((p) => typeof p !== 'string'))
      throw new TypeError(`invalid permissions for role ${role}: expected an array of strings`);
  const realm = options.realm ?? ((app as { serviceName?: string }).serviceName || 'rampart');

  app.decorateRequest('principal', undefined);
  app.decorate('security', {
    verifier: options.verifier,
    permissionsOf: (principal: Principal) => permissionsOf(principal, map),
    can: (principal: Principal | undefined, permission: string) =>
      principal !== undefined && permissionsOf(principal, map).has(permission),
  } satisfies SecurityDecoration);

  // A misspelt policy fails when the route is declared, not at the first request.
  app.addHook('onRoute', (route) => {
    const policy = (route.config as { auth?: unknown } | undefined)?.auth;
    if (policy !== undefined) validatePolicy(`${String(route.method)} ${route.url}`, policy);
  });

  async function deny(request: FastifyRequest, reply: FastifyReply, denial: Denial): Promise<FastifyReply> {
    try {
      await options.onDenied?.(request, denial);
    } catch (error) {
      request.log.error({ err: error }, 'recording an access denial failed');
    }
    request.log.info({ denial: denial.code, reason: denial.detail }, 'access denied');
    const code: ChassisErrorCode =
      denial.status === 400
        ? 'RAMPART_ERR_BAD_REQUEST'
        : denial.status === 401
          ? 'RAMPART_ERR_UNAUTHORIZED'
          : denial.status === 503
            ? 'RAMPART_ERR_UNAVAILABLE'
            : 'RAMPART_ERR_FORBIDDEN';
    const headers: Record<string, string> = {};
    if (denial.code === 'missing_credentials') headers['www-authenticate'] = bearerChallenge(realm);
    else if (denial.code === 'invalid_request')
      headers['www-authenticate'] = bearerChallenge(realm, 'invalid_request');
    else if (denial.status === 401) headers['www-authenticate'] = bearerChallenge(realm, 'invalid_token');
    else if (denial.code === 'insufficient_scope')
      headers['www-authenticate'] = bearerChallenge(realm, 'insufficient_scope', {
        scope: denial.scopes ?? [],
      });
    else if (denial.status === 503) headers['retry-after'] = '5';
    const { problem } = toProblem(rampartError(code, { detail: CLIENT_DETAIL[denial.code] }), request);
    return sendProblem(reply, { ...problem, error: denial.code }, headers);
  }

  type RouteConfig = { public?: boolean; auth?: RoutePolicy } | undefined;

  /**
   * The common case without a promise: `Authorization: Bearer <token>` in canonical form, a token
   * verified before (the verified-token cache), not revoked, allowed by the route's policy. Only
   * fully verified tokens are cached, so a hit is a well-formed token; anything else — a first
   * verification, another spelling, any refusal — takes the full path.
   */
  function admitCached(request: FastifyRequest, policy: RoutePolicy | undefined): boolean {
    const token = canonicalBearerCandidate(request.headers.authorization);
    if (!policy || token === undefined) return false;
    let principal: Principal | undefined;
    try {
      principal = options.verifier.cached(token, request.raw.socket);
    } catch {
      return false; // revoked since it was cached: the full path says so
    }
    if (!principal || options.denyList?.isRevoked(principal) || evaluatePolicy(principal, policy, map))
      return false;
    request.principal = principal;
    return true;
  }

  /** The full path: the caller's principal, or a refusal sent (and returned). */
  async function authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
    config: RouteConfig,
  ): Promise<FastifyReply | undefined> {
    const credentials = credentialsOf(request);
    if (credentials.kind === 'none')
      return deny(request, reply, { code: 'missing_credentials', status: 401, detail: 'no bearer token' });
    if (credentials.kind === 'malformed')
      return deny(request, reply, {
        code: 'invalid_request',
        status: 400,
        detail: 'malformed Authorization header',
      });
    let principal: Principal;
    try {
      principal = await options.verifier.verify(credentials.token);
    } catch (error) {
      return deny(request, reply, denialOf(error));
    }
    if (options.denyList?.isRevoked(principal))
      return deny(request, reply, { code: 'revoked', status: 401, detail: 'token revoked' });
    request.principal = principal;
    if (!config?.auth)
      return deny(request, reply, { code: 'no_policy', status: 403, detail: 'route declares no policy' });
    const denial = evaluatePolicy(principal, config.auth, map);
    if (denial) return deny(request, reply, denial);
    return undefined;
  }

  // Callback style: a cached token goes on without a promise. A refusal is sent by the full path,
  // and then the chain stops (no `done()`).
  app.addHook('onRequest', (request, reply, done) => {
    const config = request.routeOptions.config as RouteConfig;
    if (config?.public === true || request.is404 || admitCached(request, config?.auth)) {
      done();
      return;
    }
    authenticate(request, reply, config).then((refused) => {
      if (refused === undefined) done();
    }, done);
  });
}
