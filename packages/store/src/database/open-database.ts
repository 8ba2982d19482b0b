import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { migrate } from './migrate.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import { parseDatabaseUrl } from './url.js';

/**
 * What {@link openDatabase} needs: where the database is, whose it is, and how to shape it.
 *
 * @example
 * ```ts
 * const options: OpenDatabaseOptions = { url: 'sqlite:.rampart/auth.db', service: 'auth', migrations, pool: { max: 20 } };
 * ```
 */
export interface OpenDatabaseOptions {
  /** `sqlite:PATH` (relative to the working directory), `sqlite::memory:`, `postgres://…` or `postgresql://…`. */
  url: string;
  /** The service that owns the database, e.g. `'auth'`. On PostgreSQL it names the service's schema. */
  service: string;
  /** Kysely migrations; keys sort in the order they run (`'0001_init'`, `'0002_…'`). */
  migrations: Record<string, Migration>;
  /** PostgreSQL connection pool size (default 10). SQLite uses one connection. */
  pool?: { max?: number };
  /**
   * Called with errors no caller is waiting for (a pooled PostgreSQL connection dropped by the
   * server). The pool recovers by itself. Default: ignored.
   */
  onError?: (error: Error) => void;
}

/**
 * An open, migrated database.
 *
 * @example
 * ```ts
 * const database = await openDatabase<Tables>(options);
 * const user = await database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
 * await database.ping(); // readiness check
 * await database.close(); // on shutdown
 * ```
 */
export interface Database<DB> {
  db: Kysely<DB>;
  dialect: 'sqlite' | 'postgres';
  /** A cheap round trip (`select 1`), for readiness checks. */
  ping(): Promise<void>;
  /** Closes the connection or pool. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Opens the service's database from a URL and runs its migrations.
 *
 * SQLite files get WAL, `synchronous = FULL` (or `?synchronous=normal`), a 5 s busy timeout and
 * foreign keys. On PostgreSQL each service works in its own schema (named after `service`, or
 * `?schema=`), so services can share one PostgreSQL database without seeing each other's tables.
 *
 * @throws {StoreError} `STORE_ERR_BAD_URL`, `STORE_ERR_UNREACHABLE` or `STORE_ERR_MIGRATION`.
 * @example
 * ```ts
 * const { db, close } = await openDatabase<AuthTables>({
 *   url: process.env.DATABASE_URL ?? 'sqlite:.rampart/auth.db',
 *   service: 'auth',
 *   migrations: {
 *     '0001_users': {
 *       up: (db) => db.schema.createTable('users').addColumn('id', 'text', (c) => c.primaryKey()).execute(),
 *     },
 *   },
 * });
 * ```
 */
export async function openDatabase<DB>(options: OpenDatabaseOptions): Promise<Database<DB>> {
  const config = parseDatabaseUrl(options.url, options.service);
  const db =
    config.dialect === 'sqlite'
      ? openSqlite<DB>(config)
      : await openPostgres<DB>(config, {
          max: options.pool?.max,
          onError: options.onError ?? (() => undefined),
        });
  try {
    await migrate(
      db as Kysely<unknown>,
      options.migrations,
      config.dialect === 'postgres' ? config.schema : undefined,
    );
  } catch (error) {
    await db.destroy();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    db,
    dialect: config.dialect,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => (closing ??= db.destroy()),
  };
}
