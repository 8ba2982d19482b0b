/** `/admin/clients`: list and register clients; the generated secret is returned once. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@rampart/chassis';
import { createClient, InvalidClientInput, listClients, publicView } from '../../clients/index.js';
import type { People } from '../people.js';
import { actorOf } from './admin-guard.js';
import { adminErrors } from './errors.js';

const Strings = Type.Array(Type.String({ maxLength: 2048 }), { maxItems: 50 });
const NewClient = Type.Object(
  {
    clientId: Type.Optional(Type.String({ maxLength: 128 })),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    type: Type.Union([Type.Literal('confidential'), Type.Literal('public')]),
    tokenEndpointAuthMethod: Type.Optional(
      Type.Union([
        Type.Literal('client_secret_basic'),
        Type.Literal('client_secret_post'),
        Type.Literal('private_key_jwt'),
        Type.Literal('none'),
      ]),
    ),
    redirectUris: Type.Optional(Strings),
    grantTypes: Type.Array(
      Type.Union([
        Type.Literal('authorization_code'),
        Type.Literal('client_credentials'),
        Type.Literal('refresh_token'),
      ]),
      { minItems: 1, maxItems: 3 },
    ),
    scopes: Type.Optional(Strings),
    audiences: Type.Optional(Strings),
    roles: Type.Optional(Strings),
    jwks: Type.Optional(
      Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 10 }) }),
    ),
    accessTokenTtl: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
    firstParty: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export function registerAdminClientRoutes(app: FastifyInstance, people: People): void {
  const { context } = people;
  const routeConfig = { config: { public: true } };

  app.get('/admin/clients', routeConfig, async () => ({
    clients: (await listClients(context.db)).map(publicView),
  }));

  app.post('/admin/clients', { ...routeConfig, schema: { body: NewClient } }, async (request, reply) => {
    const body = request.body as Static<typeof NewClient>;
    if (body.clientId !== undefined && (await context.findClient(body.clientId))) {
      throw adminErrors.create('AUTH_ERR_CLIENT_EXISTS', { detail: `client "${body.clientId}" exists` });
    }
    let created;
    try {
      created = await createClient(context.db, body);
    } catch (error) {
      if (error instanceof InvalidClientInput)
        throw adminErrors.create('AUTH_ERR_INVALID_INPUT', { detail: error.message });
      throw error;
    }
    await context.audit(request, 'admin.client.create', {
      resource: `client:${created.client.clientId}`,
      actor: actorOf(request),
      details: { type: created.client.type, grant_types: created.client.grantTypes },
    });
    reply.header('cache-control', 'no-store');
    return reply.status(201).send({
      client: publicView(created.client),
      ...(created.secret === undefined ? {} : { client_secret: created.secret }),
    });
  });
}
