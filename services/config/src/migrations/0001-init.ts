/** Versions (immutable), heads (the current version of each source), registered schemas. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('config_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('latest', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('config_state' as never)
    .values({ id: 1, latest: 0 })
    .execute();

  await db.schema
    .createTable('config_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('restores', 'integer')
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('diff', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('config_versions_source')
    .on('config_versions')
    .columns(['app', 'profile', 'version'])
    .execute();

  await db.schema
    .createTable('config_heads')
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('config_heads_pk', ['app', 'profile'])
    .execute();

  await db.schema
    .createTable('config_schemas')
    .addColumn('app', 'text', (c) => c.primaryKey())
    .addColumn('schema', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['config_schemas', 'config_heads', 'config_versions', 'config_state'])
    await db.schema.dropTable(table).ifExists().execute();
}
