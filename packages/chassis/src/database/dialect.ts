/** Which SQL dialect a Kysely instance speaks, for the few DDL details that differ. */
import { PostgresAdapter, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Adds an auto-incrementing integer primary key: `integer primary key autoincrement` on SQLite
 * (never reuses ids), `bigserial primary key` on PostgreSQL.
 *
 * @example
 * await addSerialPrimaryKey(db, db.schema.createTable('events'), 'seq').addColumn('name', 'text').execute();
 */
export function addSerialPrimaryKey<T extends string>(
  db: Kysely<unknown>,
  table: CreateTableBuilder<T>,
  column: string,
): CreateTableBuilder<T> {
  return isPostgres(db)
    ? table.addColumn(column, 'bigserial', (c: ColumnDefinitionBuilder) => c.primaryKey())
    : table.addColumn(column, 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}
