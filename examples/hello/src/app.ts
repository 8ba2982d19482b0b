/**
 * A tiny service built with the chassis: the template for your own. Everything but the one
 * route below — config, logs, metrics, health, errors, shutdown — comes from `createService`.
 */
import { createService, Type, type CreateServiceOptions, type Service } from '@rampart/chassis';
import { HELLO_DEFAULT_PORT, helloConfigSchema } from './config-schema.js';

export type HelloService = Service<typeof helloConfigSchema>;

export async function buildHello(
  options: Omit<CreateServiceOptions<typeof helloConfigSchema>, 'name' | 'config'> = {},
): Promise<HelloService> {
  const app = await createService({
    name: 'hello',
    version: '0.1.0',
    config: helloConfigSchema,
    defaultPort: HELLO_DEFAULT_PORT,
    ...options,
  });

  app.get(
    '/hello',
    {
      config: { public: true },
      schema: {
        querystring: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 64, pattern: "^[\\p{L}\\p{N} .'-]+$" }),
        }),
        response: { 200: Type.Object({ message: Type.String() }) },
      },
    },
    async (request) => ({ message: `${app.config.greeting}, ${request.query.name}!` }),
  );

  return app;
}
