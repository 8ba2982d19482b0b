/**
 * The `rampart_acl` table: one row per (resource, subject, permission). `resource` is
 * `<type>:<id>`; the type is also stored on its own so list filters use an index.
 */
import type { Kysely, Migration } from 'kysely';

export const aclMigrations: Record<string, Migration> = {
  '0001_acl': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('rampart_acl')
        .ifNotExists()
        .addColumn('resource', 'varchar(255)', (c) => c.notNull())
        .addColumn('subject', 'varchar(255)', (c) => c.notNull())
        .addColumn('permission', 'varchar(100)', (c) => c.notNull())
        .addColumn('resource_type', 'varchar(100)', (c) => c.notNull())
        .addColumn('resource_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('granted_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('granted_by', 'varchar(255)')
        .addPrimaryKeyConstraint('rampart_acl_pk', ['resource', 'subject', 'permission'])
        .execute();
      await db.schema
        .createIndex('rampart_acl_by_subject')
        .ifNotExists()
        .on('rampart_acl')
        .columns(['subject', 'resource_type', 'permission'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('rampart_acl').ifExists().execute();
    },
  },
};
