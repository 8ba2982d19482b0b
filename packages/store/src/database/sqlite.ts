import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect } from 'kysely';
import type { DialectAdapter } from 'kysely';
import type { SqliteConfig } from './url.js';

/**
 * Kysely's SQLite adapter reports no transactional DDL, so its migrator would run migrations
 * outside a transaction and leave half a migration behind when one fails. SQLite does support
 * transactional DDL, so we say so and get all-or-nothing migrations.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalDdlSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Opens a SQLite file (creating its directory) with durable, concurrent-reader settings. */
export function openSqlite<DB>(config: SqliteConfig): Kysely<DB> {
  if (config.path !== ':memory:') mkdirSync(path.dirname(config.path), { recursive: true });
  const database = new SqliteDatabase(config.path);
  try {
    // WAL lets readers run while a writer commits; synchronous FULL makes every commit durable
    // across power loss (NORMAL only across process crashes).
    database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${config.synchronous.toUpperCase()}`);
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  return new Kysely<DB>({ dialect: new TransactionalDdlSqliteDialect({ database }) });
}
