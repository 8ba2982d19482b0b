/** Reads users with their roles, as the `UserRecord` the rest of the service sees. */
import type { AnyDb } from './tables.js';
import type { Kysely } from 'kysely';
import type { UserRecord } from './user-store.js';
import type { PeopleTables, UsersTable } from './tables.js';

export function db(database: AnyDb): Kysely<PeopleTables> {
  return database as Kysely<PeopleTables>;
}

export async function rolesOf(database: AnyDb, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const roles = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return roles;
  const rows = await db(database)
    .selectFrom('user_roles')
    .select(['user_id', 'role'])
    .where('user_id', 'in', userIds)
    .orderBy('role')
    .execute();
  for (const row of rows) roles.get(row.user_id)?.push(row.role);
  return roles;
}

export function recordFromRow(
  row: Pick<UsersTable, 'id' | 'username' | 'disabled' | 'name' | 'email'>,
  roles: string[],
): UserRecord {
  return {
    id: row.id,
    username: row.username,
    roles,
    disabled: Number(row.disabled) === 1,
    ...(row.name === null ? {} : { name: row.name }),
    ...(row.email === null ? {} : { email: row.email }),
  };
}

export async function findUserById(database: AnyDb, id: string): Promise<UserRecord | undefined> {
  const row = await db(database).selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return recordFromRow(row, (await rolesOf(database, [row.id])).get(row.id) ?? []);
}

/** By id; the ids not found are absent from the map. */
export async function findUsersById(
  database: AnyDb,
  ids: readonly string[],
): Promise<Map<string, UserRecord>> {
  const rows = await db(database).selectFrom('users').selectAll().where('id', 'in', ids).execute();
  const roles = await rolesOf(
    database,
    rows.map((row) => row.id),
  );
  return new Map(rows.map((row) => [row.id, recordFromRow(row, roles.get(row.id) ?? [])]));
}
