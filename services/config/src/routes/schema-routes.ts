/**
 * `PUT /v1/schemas/:app`: a service registers the JSON Schema of its configuration (the chassis
 * client does so on start with its TypeBox schema), so later writes are validated against it.
 * The service itself (a client bound to the application) or an admin may register it.
 */
import { rampartError, Type, type Service } from '@rampart/chassis';
import { mayRead, principalOf } from '../access.js';
import type { ConfigContext } from '../context.js';
import { configErrors } from '../errors.js';
import { isPlainObject } from '../model/document.js';
import { NameSchema } from '../names.js';

export function registerSchemaRoutes(app: Service, context: ConfigContext): void {
  const params = Type.Object({ app: NameSchema });

  app.put(
    '/v1/schemas/:app',
    {
      config: { auth: { kind: 'any' } },
      schema: { params, body: Type.Record(Type.String(), Type.Unknown()) },
    },
    async (request, reply) => {
      const { app: name } = request.params;
      const principal = principalOf(request);
      const allowed =
        principal.roles.includes('admin') ||
        (principal.scopes.includes('config:read') && mayRead(principal, name, context.readers));
      if (!allowed) {
        await request.audit('config.schema.register', {
          resource: `config-schema:${name}`,
          outcome: 'denied',
        });
        throw configErrors.create('CONFIG_ERR_READ_DENIED', {
          detail: `client may not register the schema of ${name}`,
        });
      }
      const schema = request.body;
      if (schema.type !== 'object' || !isPlainObject(schema.properties))
        throw configErrors.create('CONFIG_ERR_BAD_CHANGE', {
          detail: 'expected a JSON Schema of type object with properties',
        });
      await context.core.store.putSchema(name, schema);
      await request.audit('config.schema.register', { resource: `config-schema:${name}` });
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/admin/schemas/:app',
    { config: { auth: { roles: ['admin'] } }, schema: { params } },
    async (request) => {
      const schema = await context.core.store.schema(request.params.app);
      if (schema === undefined)
        throw rampartError('RAMPART_ERR_NOT_FOUND', {
          detail: `no schema registered for ${request.params.app}`,
        });
      return schema;
    },
  );
}
