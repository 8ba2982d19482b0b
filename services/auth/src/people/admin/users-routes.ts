/** `/admin/users`: list, create, disable, set roles. Every change is audited. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@rampart/chassis';
import { addUser, disableUser, listUsers, setRoles, UserError } from '../../users/index.js';
import type { People } from '../people.js';
import { actorOf } from './admin-guard.js';
import { adminErrors } from './errors.js';

const NewUser = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    roles: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
  },
  { additionalProperties: false },
);
const Roles = Type.Object(
  { roles: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }) },
  { additionalProperties: false },
);
const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

function mapError(error: unknown): never {
  if (error instanceof UserError) {
    switch (error.code) {
      case 'invalid_input':
        throw adminErrors.create('AUTH_ERR_INVALID_INPUT', { detail: error.message });
      case 'username_taken':
        throw adminErrors.create('AUTH_ERR_USERNAME_TAKEN', { detail: error.message });
      case 'not_found':
        throw adminErrors.create('AUTH_ERR_USER_NOT_FOUND', { detail: error.message });
    }
  }
  throw error;
}

export function registerAdminUserRoutes(app: FastifyInstance, people: People): void {
  const { context } = people;
  const routeConfig = { config: { public: true } };

  app.get('/admin/users', routeConfig, async () => ({ users: await listUsers(context.db) }));

  app.post('/admin/users', { ...routeConfig, schema: { body: NewUser } }, async (request, reply) => {
    const body = request.body as Static<typeof NewUser>;
    const user = await addUser(context.db, body).catch(mapError);
    await context.audit(request, 'admin.user.create', {
      resource: `user:${user.id}`,
      actor: actorOf(request),
      details: { username: user.username, roles: user.roles },
    });
    return reply.status(201).send(user);
  });

  app.post(
    '/admin/users/:id/disable',
    { ...routeConfig, schema: { params: UserParams } },
    async (request) => {
      const { id } = request.params as Static<typeof UserParams>;
      const user = await disableUser(context.db, id, {
        revokeUserTokens: (userId) =>
          context.revokeUserTokens(userId, { reason: 'user disabled', disabled: true }),
      }).catch(mapError);
      await context.audit(request, 'admin.user.disable', { resource: `user:${id}`, actor: actorOf(request) });
      return user;
    },
  );

  app.put(
    '/admin/users/:id/roles',
    { ...routeConfig, schema: { params: UserParams, body: Roles } },
    async (request) => {
      const { id } = request.params as Static<typeof UserParams>;
      const { roles } = request.body as Static<typeof Roles>;
      const user = await setRoles(context.db, id, roles).catch(mapError);
      await context.audit(request, 'admin.user.roles', {
        resource: `user:${id}`,
        actor: actorOf(request),
        details: { roles: user.roles },
      });
      return user;
    },
  );
}
