/**
 * The audit outbox: every audit event is written here, in the same database as the service's
 * data, before the request that caused it completes. The ops service ships the outbox centrally
 * and chains it (tamper evidence); `shipped_at` marks what has left.
 */
import type { Kysely, Migration } from 'kysely';
import { addSerialPrimaryKey } from '../database/dialect.js';

export const auditMigrations: Record<string, Migration> = {
  '0001_outbox': {
    async up(db: Kysely<unknown>) {
      await addSerialPrimaryKey(db, db.schema.createTable('rampart_audit_outbox'), 'seq')
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('actor_sub', 'text')
        .addColumn('actor_client_id', 'text')
        .addColumn('actor_kind', 'text')
        .addColumn('resource', 'text')
        .addColumn('ip', 'text')
        .addColumn('request_id', 'text')
        .addColumn('trace_id', 'text')
        .addColumn('details', 'text')
        .addColumn('shipped_at', 'text')
        .execute();
      await db.schema
        .createIndex('rampart_audit_outbox_unshipped')
        .on('rampart_audit_outbox')
        .columns(['shipped_at', 'seq'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('rampart_audit_outbox').execute();
    },
  },
};
