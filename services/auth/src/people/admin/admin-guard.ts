/**
 * The admin API's door: a bearer access token issued by this server whose `roles` include
 * `admin`. RFC 6750 §3.1: no token → 401 with a bare challenge; a bad one → 401 invalid_token;
 * the wrong role → 403 insufficient_scope. Every refusal is audited.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rampartError } from '@rampart/chassis';
import type { AuthContext } from '../../context.js';
import type { AccessTokenClaims } from '../../tokens/access-token.js';
import { authenticateBearer, challenge } from '../bearer.js';

export const ADMIN_ROLE = 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the admin guard: the verified caller. */
    adminCaller?: AccessTokenClaims;
  }
}

export function adminGuard(context: AuthContext) {
  const realm = context.config.issuer;
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const bearer = await authenticateBearer(context, request);
    if (!bearer.ok) {
      await context.audit(request, 'admin.access', {
        outcome: 'denied',
        details: { reason: bearer.description },
      });
      throw rampartError(bearer.status === 400 ? 'RAMPART_ERR_BAD_REQUEST' : 'RAMPART_ERR_UNAUTHORIZED', {
        detail: bearer.description,
        headers: { 'www-authenticate': challenge(realm, bearer.error) },
      });
    }
    const roles = Array.isArray(bearer.claims.roles) ? bearer.claims.roles : [];
    if (!roles.includes(ADMIN_ROLE)) {
      await context.audit(request, 'admin.access', {
        outcome: 'denied',
        actor: { sub: bearer.claims.sub, clientId: bearer.claims.client_id },
        details: { reason: 'missing role admin' },
      });
      throw rampartError('RAMPART_ERR_FORBIDDEN', {
        detail: 'the admin role is required',
        headers: { 'www-authenticate': challenge(realm, 'insufficient_scope') },
      });
    }
    request.adminCaller = bearer.claims;
  };
}

export function actorOf(request: FastifyRequest) {
  const caller = request.adminCaller;
  if (!caller) return undefined;
  return {
    sub: caller.sub,
    clientId: caller.client_id,
    kind: caller.sub === caller.client_id ? ('service' as const) : ('user' as const),
  };
}
