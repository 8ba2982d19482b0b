/**
 * The full configuration schema of a service: the chassis' base keys, the service's own keys,
 * and the keys of the features it turns on (database, security, peers). `createService` and
 * `rampart config print` both build it here, so they can never disagree.
 */
import { Type, type TObject, type TProperties } from '@sinclair/typebox';
import { withDatabaseUrl } from '../database/service-database.js';
import { withSecurityConfig } from '../security/security-config.js';
import { withConfigServerKeys } from '../config-client/config-server-keys.js';

export interface ServiceFeatures {
  name: string;
  /** The service has its own database (`databaseUrl`). */
  database?: boolean;
  /** The service is an OAuth resource server (`security.*`). */
  security?: boolean;
  /** Peer services it calls, name → default base URL (`services`). */
  services?: Readonly<Record<string, string>>;
}

export function composeServiceSchema<S extends TObject>(schema: S, features: ServiceFeatures): S {
  let composed: TObject = schema;
  if (features.database) composed = withDatabaseUrl(composed);
  if (features.security) composed = withSecurityConfig(composed, features.name);
  // Any service can pull configuration: set configServer.url (RAMPART_CONFIG_SERVER_URL).
  composed = withConfigServerKeys(composed);
  const extra: TProperties = {
    tls: Type.Optional(
      Type.Object(
        {
          ca: Type.Optional(Type.String({ minLength: 1, description: 'PEM file: the CA that signs peers' })),
          cert: Type.Optional(
            Type.String({ minLength: 1, description: 'PEM file: this service’s certificate' }),
          ),
          key: Type.Optional(
            Type.String({ minLength: 1, description: 'PEM file: this service’s private key' }),
          ),
          reloadIntervalMs: Type.Optional(
            Type.Integer({
              minimum: 1000,
              description: 're-read the files this often and use renewed certificates (default 1 h)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    services: Type.Record(Type.String(), Type.String({ pattern: '^https?://' }), {
      default: { ...features.services },
      description: 'peer services, name → base URL (JSON)',
    }),
  };
  for (const key of Object.keys(extra)) if (key in composed.properties) delete extra[key];
  return Type.Object({ ...composed.properties, ...extra }, { additionalProperties: false }) as unknown as S;
}
