/** The two database backends every DB-backed suite of the people side runs on. */
import { openDatabase, type Database } from '@rampart/store';
import { databaseBackends } from '../../../../../test/support/database-backends.js';
import { authMigrations } from '../../migrations/index.js';

export type { DatabaseBackend as Backend } from '../../../../../test/support/database-backends.js';

/** Call once per test file: PostgreSQL schemas made through it are dropped after the file. */
export function backends(prefix: string) {
  return databaseBackends(prefix);
}

export function openAuthDatabase(url: string): Promise<Database<unknown>> {
  return openDatabase<unknown>({ url, service: 'auth', migrations: authMigrations });
}
