/** The config server's configuration keys (env `RAMPART_CONFIG_<KEY>`). */
import { Type, type Static } from '@rampart/chassis';

export const configServerSchema = Type.Object({
  /** A directory of `application.yaml`, `<app>.yaml`, `<app>-<profile>.yaml` loaded when the store is empty. */
  seedDir: Type.Optional(Type.String({ minLength: 1, description: 'YAML files seeded into an empty store' })),
  /** 32 bytes (64 hex digits or base64url) encrypting secret values; generated into the data directory when absent (development). */
  masterKey: Type.Optional(Type.String({ secret: true, description: 'AES-256-GCM key for secrets at rest' })),
  previousMasterKeys: Type.Array(Type.String(), {
    default: [],
    secret: true,
    description: 'retired master keys, still used to decrypt (comma-separated)',
  }),
  /** Change notifications between instances; unset → in-process. */
  redisUrl: Type.Optional(Type.String({ secret: true, env: ['REDIS_URL'] })),
  readers: Type.Record(Type.String(), Type.Array(Type.String()), {
    default: {},
    description:
      'client_id → applications it may read (JSON); a client may always read the application named like it',
  }),
  longPollSeconds: Type.Number({
    default: 25,
    minimum: 0,
    maximum: 25,
    description: 'longest wait of GET /v1/config/:app/:profile?after=',
  }),
});

export type ConfigServerConfig = Static<typeof configServerSchema>;
