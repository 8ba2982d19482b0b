/**
 * The service's own database (database per service): opened from `databaseUrl` (or
 * `DATABASE_URL`; default `sqlite:<dataDir>/<service>.db`), migrated on start — the chassis'
 * own tables (audit outbox, ACLs) first, under their own names, then the service's — checked by
 * readiness, and closed after in-flight requests on shutdown.
 */
import path from 'node:path';
import type { Migration } from 'kysely';
import { Type, type TObject } from '@sinclair/typebox';
import { openDatabase, StoreError, type Database } from '@rampart/store';
import { ConfigError } from '../config/config-error.js';
import { EXIT_SOFTWARE, EXIT_UNAVAILABLE, StartupError } from '../lifecycle/startup-error.js';
import { aclMigrations } from '../acl/acl-migrations.js';
import { auditMigrations } from '../audit/audit-migrations.js';

export interface DatabaseOptions {
  /** The service's migrations; names sort in the order they run (`0001_init`, …). */
  migrations: Record<string, Migration>;
  /** PostgreSQL pool size (default 10). */
  poolMax?: number;
}

/** Chassis migrations are prefixed so they never collide with a service's names. */
export const chassisMigrations: Record<string, Migration> = {
  ...prefixed('rampart_audit', auditMigrations),
  ...prefixed('rampart_acl', aclMigrations),
};

function prefixed(prefix: string, migrations: Record<string, Migration>): Record<string, Migration> {
  return Object.fromEntries(Object.entries(migrations).map(([name, m]) => [`0000_${prefix}_${name}`, m]));
}

export function defaultDatabaseUrl(dataDir: string, service: string): string {
  return `sqlite:${path.join(path.resolve(dataDir), `${service}.db`)}`;
}

export async function openServiceDatabase(
  service: string,
  url: string,
  options: DatabaseOptions,
  onError: (error: Error) => void,
): Promise<Database<unknown>> {
  return openDatabase<unknown>({
    url,
    service,
    migrations: { ...chassisMigrations, ...options.migrations },
    ...(options.poolMax ? { pool: { max: options.poolMax } } : {}),
    onError,
  });
}

/** Adds the `databaseUrl` key (alias `DATABASE_URL`) unless the service declares its own. */
export function withDatabaseUrl<S extends TObject>(schema: S): S {
  if ('databaseUrl' in schema.properties) return schema;
  return Type.Object(
    {
      ...schema.properties,
      databaseUrl: Type.Optional(
        Type.String({
          env: ['DATABASE_URL'],
          minLength: 1,
          description: 'sqlite:PATH or postgres://… (default sqlite:<dataDir>/<service>.db)',
        }),
      ),
    },
    { additionalProperties: false },
  ) as unknown as S;
}

/** Opens the database, turning store errors into start-up errors a person can act on. */
export async function openServiceDatabaseOrExplain(
  service: string,
  url: string,
  options: DatabaseOptions,
  onError: (error: Error) => void,
  source = 'default',
): Promise<Database<unknown>> {
  try {
    return await openServiceDatabase(service, url, options, onError);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    switch (error.code) {
      case 'STORE_ERR_BAD_URL':
        throw new ConfigError(service, [
          { key: 'databaseUrl', source, value: undefined, expected: error.message },
        ]);
      case 'STORE_ERR_UNREACHABLE':
        throw new StartupError(`${service}: database unavailable: ${error.message}`, EXIT_UNAVAILABLE, {
          cause: error,
        });
      case 'STORE_ERR_MIGRATION':
        throw new StartupError(`${service}: database migration failed: ${error.message}`, EXIT_SOFTWARE, {
          cause: error,
        });
    }
  }
}
