/** The auth service's migrations, in order. Each file owns its tables. */
import type { Migration } from 'kysely';
import * as tokens from './0001-tokens.js';
import * as users from './0002-users.js';

export const authMigrations: Record<string, Migration> = {
  '0001_tokens': tokens,
  '0002_users': users,
};
