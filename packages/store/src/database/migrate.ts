import { inspect } from 'node:util';
import { Migrator } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { StoreError } from '../errors.js';

/**
 * Brings the database up to the latest migration. Migrations run in name order, each at most
 * once, all pending ones in one transaction: when one fails none of them stays applied.
 *
 * @param schema where the migration tables live (PostgreSQL: the service's schema). Kysely
 *   otherwise finds another service's `kysely_migration` table anywhere in the database and
 *   believes its own exists.
 */
export async function migrate(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
  schema?: string,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
    // The chassis adds its own migrations (audit outbox, ACLs) next to a service's; a chassis
    // upgrade may bring one whose name sorts before a service migration that already ran.
    allowUnorderedMigrations: true,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely's migrator lists tables across every schema; a schema dropped by someone else at that
  // moment (another service's tests, a cleanup job) fails the listing, not our migration. Retry.
  for (let attempt = 1; attempt < 5 && isForeignSchemaRace(error, schema); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const message = error instanceof Error ? error.message : inspect(error);
  throw new StoreError(
    'STORE_ERR_MIGRATION',
    failed === undefined
      ? `migrations could not run: ${message}`
      : `migration "${failed}" failed (no pending migration was applied): ${message}`,
    { cause: error },
  );
}

function isForeignSchemaRace(error: unknown, ownSchema: string | undefined): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (e?.code !== '3F000' && e?.code !== '42P01') return false;
  return ownSchema === undefined || !String(e.message).includes(`"${ownSchema}"`);
}
