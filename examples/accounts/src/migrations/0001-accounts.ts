import type { Kysely, Migration } from 'kysely';

/** One row per user (`id` is the user's `sub`), created the first time they call `/accounts/me`. */
export const accountsTable: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('suspended_at', 'varchar(32)')
      .addColumn('suspended_by', 'varchar(255)')
      .addColumn('suspend_reason', 'varchar(200)')
      .execute();
    await db.schema.createIndex('accounts_created_at').on('accounts').columns(['created_at', 'id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('accounts').execute();
  },
};
