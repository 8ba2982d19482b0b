/**
 * The configuration keys of a service that pulls configuration from the config server, under
 * `configServer.*` (env `RAMPART_CONFIG_SERVER_URL` for every service, `RAMPART_ORDERS_CONFIG_SERVER_PROFILE` for one).
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';

export const configServerKeys = Type.Object(
  {
    url: Type.Optional(
      Type.String({
        pattern: '^https?://',
        description: 'the config server; unset → push-model configuration only',
      }),
    ),
    app: Type.Optional(
      Type.String({ minLength: 1, description: 'application name to read (default: the service name)' }),
    ),
    profile: Type.String({
      default: 'default',
      pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
      description: 'profile layer to read (<app>-<profile>)',
    }),
    audience: Type.String({
      default: 'config',
      minLength: 1,
      description: 'the config server as a token resource',
    }),
    timeoutMs: Type.Integer({ default: 5000, minimum: 100, description: 'start-up fetch timeout' }),
    watch: Type.Boolean({ default: true, description: 'long-poll for new versions while running' }),
  },
  { additionalProperties: false },
);

export type ConfigServerKeys = Static<typeof configServerKeys>;

/** Adds `configServer.*` to a service's schema unless it declares its own. */
export function withConfigServerKeys<S extends TObject>(schema: S): S {
  if ('configServer' in schema.properties) return schema;
  return Type.Object(
    { ...schema.properties, configServer: configServerKeys },
    { additionalProperties: false },
  ) as unknown as S;
}
