/**
 * The auth server's configuration and database, resolved exactly as the service resolves them
 * (defaults < config file < environment < flags; `databaseUrl` default `sqlite:<dataDir>/auth.db`),
 * so an operator's tool next to the service opens the same database.
 */
import path from 'node:path';
import type { Kysely } from 'kysely';
import {
  composeServiceSchema,
  ConfigError,
  defaultDatabaseUrl,
  loadConfig,
  openServiceDatabase,
} from '@rampart/chassis';
import { maskUrl, StoreError, type Database } from '@rampart/store';
import { authConfigSchema } from '../config.js';
import type { AuthServiceConfig } from '../context.js';
import type { TokenTables } from '../db/tables.js';
import { authMigrations } from '../migrations/index.js';
import { AuthAdminError } from './admin-errors.js';

export interface AdminDatabase {
  config: AuthServiceConfig;
  /** Absolute data directory (relative ones resolve against `cwd`). */
  dataDir: string;
  db: Kysely<TokenTables>;
  close: () => Promise<void>;
}

export interface LoadAdminDatabaseOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** The auth service's own flags (`--data-dir DIR`, `--database-url URL`, …). */
  argv?: readonly string[];
  cwd?: string;
}

export async function openAdminDatabase(options: LoadAdminDatabaseOptions): Promise<AdminDatabase> {
  const config = loadAuthConfig(options);
  const dataDir = path.resolve(options.cwd ?? process.cwd(), config.dataDir);
  const url = (config as { databaseUrl?: string }).databaseUrl ?? defaultDatabaseUrl(dataDir, 'auth');
  let database: Database<unknown>;
  try {
    // The same migrations the service runs on start (the chassis' tables, then auth's).
    database = await openServiceDatabase('auth', url, { migrations: authMigrations, poolMax: 2 }, () => {});
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    const where = maskUrl(url);
    switch (error.code) {
      case 'STORE_ERR_BAD_URL':
        throw new AuthAdminError('AUTH_ADMIN_ERR_CONFIG', `auth: invalid databaseUrl: ${error.message}`, {
          cause: error,
        });
      case 'STORE_ERR_UNREACHABLE':
        throw new AuthAdminError(
          'AUTH_ADMIN_ERR_UNAVAILABLE',
          `auth: database unavailable (${where}): ${error.message}`,
          { cause: error },
        );
      default:
        throw error;
    }
  }
  return {
    config,
    dataDir,
    db: database.db as Kysely<TokenTables>,
    close: () => database.close(),
  };
}

function loadAuthConfig(options: LoadAdminDatabaseOptions): AuthServiceConfig {
  try {
    return loadConfig({
      service: 'auth',
      schema: composeServiceSchema(authConfigSchema, { name: 'auth', database: true }),
      defaultPort: 8081,
      argv: options.argv ?? [],
      env: options.env,
    }).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new AuthAdminError('AUTH_ADMIN_ERR_CONFIG', error.message, { cause: error });
  }
}
