/**
 * `GET/POST /userinfo` (OIDC Core §5.3): the signed-in person's claims, by the token's scopes —
 * `sub` always, `profile` → name and preferred_username, `email` → email.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateBearer, challenge, scopesOf } from '../bearer.js';
import type { People } from '../people.js';

export function registerUserInfoRoute(app: FastifyInstance, people: People): void {
  const { context } = people;
  const realm = context.config.issuer;

  function refuse(reply: FastifyReply, status: number, error: string | undefined, description: string) {
    reply.header('www-authenticate', challenge(realm, error, error ? description : undefined));
    reply.header('cache-control', 'no-store');
    return reply.status(status).send(error ? { error, error_description: description } : {});
  }

  async function userinfo(request: FastifyRequest, reply: FastifyReply) {
    const bearer = await authenticateBearer(context, request);
    if (!bearer.ok) return refuse(reply, bearer.status, bearer.error, bearer.description);
    const { claims } = bearer;
    const scopes = scopesOf(claims);
    // OIDC Core §5.3: only tokens from an OpenID request; a service account has no UserInfo.
    if (!scopes.includes('openid'))
      return refuse(reply, 403, 'insufficient_scope', 'the token lacks the openid scope');
    const user = claims.sub === claims.client_id ? undefined : await context.users.findById(claims.sub);
    if (!user || user.disabled) return refuse(reply, 401, 'invalid_token', 'the token names no active user');
    const body: Record<string, unknown> = { sub: user.id };
    if (scopes.includes('profile')) {
      body.preferred_username = user.username;
      if (user.name !== undefined) body.name = user.name;
    }
    if (scopes.includes('email') && user.email !== undefined) body.email = user.email;
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(body);
  }

  app.route({ method: ['GET', 'POST'], url: '/userinfo', config: { public: true }, handler: userinfo });
}
