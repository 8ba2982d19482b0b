import type { Migration } from 'kysely';
import { accountsTable } from './0001-accounts.js';

/** The accounts service's migrations, run in name order on start (after the chassis' own). */
export const accountsMigrations: Record<string, Migration> = {
  '0001_accounts': accountsTable,
};
