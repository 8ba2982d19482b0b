/** User look-ups by username (case-insensitive). */
import type { AnyDb } from './tables.js';
import { db, findUserById } from './user-record.js';
import { usernameKey } from './tables.js';
import type { UserRecord } from './user-store.js';

export { findUserById };

export async function findUserByUsername(database: AnyDb, username: string): Promise<UserRecord | undefined> {
  const row = await db(database)
    .selectFrom('users')
    .select('id')
    .where('username_key', '=', usernameKey(username))
    .executeTakeFirst();
  return row ? findUserById(database, row.id) : undefined;
}
