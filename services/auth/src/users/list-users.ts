/** All users with their roles, ordered by username (admin API, CLI). */
import type { AnyDb } from './tables.js';
import { db, recordFromRow, rolesOf } from './user-record.js';
import type { UserRecord } from './user-store.js';

export async function listUsers(database: AnyDb): Promise<UserRecord[]> {
  const rows = await db(database)
    .selectFrom('users')
    .select(['id', 'username', 'disabled', 'name', 'email'])
    .orderBy('username_key')
    .execute();
  const roles = await rolesOf(
    database,
    rows.map((row) => row.id),
  );
  return rows.map((row) => recordFromRow(row, roles.get(row.id) ?? []));
}
