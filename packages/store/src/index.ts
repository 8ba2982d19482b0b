/**
 * `@rampart/store`: each service's own database (SQLite or PostgreSQL through Kysely, migrated on
 * open) and the state its instances share (in-process or Redis).
 *
 * @example
 * ```ts
 * import { openDatabase, openSharedState } from '@rampart/store';
 *
 * const database = await openDatabase<Tables>({ url: 'sqlite:.rampart/orders.db', service: 'orders', migrations });
 * const state = await openSharedState({ url: process.env.REDIS_URL, prefix: 'orders' });
 * ```
 */
export { openDatabase } from './database/open-database.js';
export type { Database, OpenDatabaseOptions } from './database/open-database.js';
export { createGroupCommit, type GroupCommit } from './database/group-commit.js';
export { openSharedState } from './shared-state/open-shared-state.js';
export type { OpenSharedStateOptions } from './shared-state/open-shared-state.js';
export type { SharedState } from './shared-state/shared-state.js';
export { StoreError, STORE_ERROR_CODES } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export { maskUrl } from './mask-url.js';
/**
 * Kysely's migration type, re-exported so a service can declare its migrations without naming
 * Kysely's version itself.
 *
 * @example
 * ```ts
 * import type { Migration } from '@rampart/store';
 * export const migrations: Record<string, Migration> = { '0001_init': { up: async (db) => {} } };
 * ```
 */
export type { Migration } from 'kysely';
