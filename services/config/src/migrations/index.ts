import type { Migration } from 'kysely';
import * as init from './0001-init.js';

export const configMigrations: Record<string, Migration> = { '0001_init': init };
