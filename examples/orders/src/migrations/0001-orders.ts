import type { Kysely, Migration } from 'kysely';

/**
 * Orders. Who may see one is decided by the chassis ACL (`rampart_acl`), not by `owner`, which
 * is kept for display and reporting.
 */
export const ordersTable: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('orders')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('owner', 'varchar(255)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('cancelled_at', 'varchar(32)')
      .execute();
    await db.schema.createIndex('orders_created_at').on('orders').columns(['created_at', 'id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('orders').execute();
  },
};
