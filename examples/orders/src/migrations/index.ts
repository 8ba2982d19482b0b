import type { Migration } from 'kysely';
import { ordersTable } from './0001-orders.js';

/** The orders service's migrations, run in name order on start (after the chassis' own). */
export const ordersMigrations: Record<string, Migration> = {
  '0001_orders': ordersTable,
};
