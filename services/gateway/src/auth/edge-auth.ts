/**
 * Authentication at the edge, per route: a bearer JWT (RFC 6750 §2.1) or a browser session,
 * verified with the chassis verifier (JWKS cache, verified-token cache, revocation deny-list),
 * then the route's scopes and roles. Errors follow RFC 6750 §3: 401 with a `WWW-Authenticate:
 * Bearer` challenge, `insufficient_scope` 403.
 */
import type { FastifyRequest } from 'fastify';
import {
  bearerChallenge,
  bearerToken,
  canonicalBearerCandidate,
  evaluatePolicy,
  TokenError,
  type Principal,
  type TokenVerifier,
} from '@rampart/chassis';
import { gatewayError } from '../errors.js';
import type { CompiledRoute } from '../routes/route-table.js';

export interface SessionTokens {
  /** True when the request carries our session cookie. */
  hasSession(request: FastifyRequest): boolean;
  /** A valid access token for the request's session (refreshed when needed), or undefined. */
  accessToken(request: FastifyRequest): Promise<string | undefined>;
  /** Throws when an unsafe cookie-authenticated request lacks the CSRF proof. */
  checkCsrf(request: FastifyRequest): Promise<void>;
}

export interface EdgeIdentity {
  principal: Principal | undefined;
  /** Sent upstream: `Bearer …`; null removes the header; undefined leaves the client's (auth: none). */
  authorization: string | null | undefined;
  via: 'bearer' | 'session' | 'anonymous' | 'none';
}

export interface EdgeAuthOptions {
  verifier: TokenVerifier;
  sessions: SessionTokens | undefined;
  realm: string;
  onDenied?: (route: CompiledRoute, reason: string) => void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const NO_AUTH: EdgeIdentity = Object.freeze({ principal: undefined, authorization: undefined, via: 'none' });

export function createEdgeAuth(options: EdgeAuthOptions) {
  const { verifier, sessions, realm } = options;

  const unauthorized = (
    route: CompiledRoute,
    reason: string,
    error?: 'invalid_request' | 'invalid_token',
    description?: string,
  ) => {
    options.onDenied?.(route, reason);
    return gatewayError('GW_ERR_UNAUTHORIZED', {
      detail: description ?? 'a valid bearer token or session is required',
      headers: { 'www-authenticate': bearerChallenge(realm, error, description ? { description } : {}) },
    });
  };

  /** The refusal for a token the verifier rejected (or an outage of its keys). */
  function refusal(route: CompiledRoute, error: unknown): Error {
    if (error instanceof TokenError && error.code === 'temporarily_unavailable') {
      options.onDenied?.(route, 'keys_unavailable');
      return gatewayError('GW_ERR_AUTH_UNAVAILABLE', { headers: { 'retry-after': '5' }, cause: error });
    }
    const reason = error instanceof TokenError ? error.reason : 'invalid';
    // The description says what kind of failure, never which internal check (no oracle).
    return unauthorized(
      route,
      reason,
      'invalid_token',
      reason === 'expired' ? 'the token expired' : 'the token is invalid',
    );
  }

  async function verify(route: CompiledRoute, token: string): Promise<Principal> {
    try {
      return await verifier.verify(token);
    } catch (error) {
      throw refusal(route, error);
    }
  }

  /** A token verified before (the verified-token cache), without a promise; else undefined. */
  function cachedPrincipal(route: CompiledRoute, token: string, connection: object): Principal | undefined {
    try {
      return verifier.cached(token, connection);
    } catch (error) {
      throw refusal(route, error); // revoked since it was cached
    }
  }

  // One policy object per compiled route (a reload compiles new routes), not one per request.
  const policies = new WeakMap<CompiledRoute, Parameters<typeof evaluatePolicy>[1]>();
  const NO_PERMISSIONS = {};

  function authorize(route: CompiledRoute, principal: Principal): void {
    let policy = policies.get(route);
    if (!policy) {
      policy = {
        kind: 'any',
        ...(route.spec.scopes ? { scopes: route.spec.scopes } : {}),
        ...(route.spec.roles ? { roles: route.spec.roles } : {}),
      };
      policies.set(route, policy);
    }
    const denial = evaluatePolicy(principal, policy, NO_PERMISSIONS);
    if (!denial) return;
    options.onDenied?.(route, denial.code);
    if (denial.code === 'insufficient_scope')
      throw gatewayError('GW_ERR_FORBIDDEN', {
        detail: 'the token lacks a scope this route requires',
        headers: {
          'www-authenticate': bearerChallenge(realm, 'insufficient_scope', { scope: denial.scopes ?? [] }),
        },
      });
    throw gatewayError('GW_ERR_FORBIDDEN', { detail: 'the caller lacks a role this route requires' });
  }

  async function authenticateFully(request: FastifyRequest, route: CompiledRoute): Promise<EdgeIdentity> {
    const header = request.headers.authorization;
    let token: string | undefined;
    let via: EdgeIdentity['via'] = 'anonymous';
    if (header !== undefined) {
      token = bearerToken(header);
      if (token === undefined)
        throw unauthorized(route, 'malformed_header', 'invalid_request', 'expected a Bearer token');
      via = 'bearer';
    } else if (sessions?.hasSession(request)) {
      token = await sessions.accessToken(request);
      if (token !== undefined) {
        via = 'session';
        if (!SAFE_METHODS.has(request.method)) await sessions.checkCsrf(request);
      }
    }
    if (token === undefined) {
      if (route.spec.auth === 'optional') return { principal: undefined, authorization: null, via };
      throw unauthorized(route, 'missing_credentials');
    }
    const principal = await verify(route, token);
    authorize(route, principal);
    return { principal, authorization: `Bearer ${token}`, via };
  }

  return {
    /**
     * The caller's identity for a route, or a refusal (thrown or rejected). Synchronous for the
     * common case — `Authorization: Bearer <token>` in canonical form with a token verified
     * before — so a cached token costs no promise; everything else takes the full path.
     */
    authenticate(request: FastifyRequest, route: CompiledRoute): EdgeIdentity | Promise<EdgeIdentity> {
      if (route.spec.auth === 'none') return NO_AUTH;
      const header = request.headers.authorization;
      const candidate = canonicalBearerCandidate(header);
      if (candidate !== undefined) {
        // Only fully verified tokens are cached, so a hit is a well-formed b64token (RFC 6750
        // §2.1); a miss, odd spacing or casing goes through the full parse below.
        const principal = cachedPrincipal(route, candidate, request.raw.socket);
        if (principal) {
          authorize(route, principal);
          return { principal, authorization: header!, via: 'bearer' };
        }
      }
      return authenticateFully(request, route);
    },
  };
}

export type EdgeAuth = ReturnType<typeof createEdgeAuth>;
