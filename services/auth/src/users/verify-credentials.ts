/**
 * Checks a username and password. Every failure — unknown user, wrong password, disabled user —
 * returns the same `undefined` after the same work (one argon2id verification), so neither the
 * answer nor its timing tells which usernames exist (ASVS V6.3.8).
 */
import type { AnyDb } from './tables.js';
import { checkPassword } from './password.js';
import { db, findUserById } from './user-record.js';
import { usernameKey } from './tables.js';
import type { UserRecord } from './user-store.js';

export type CredentialsResult =
  | { ok: true; user: UserRecord }
  /** `reason` is for the audit log only, never for the person logging in. */
  | { ok: false; reason: 'unknown_user' | 'wrong_password' | 'disabled'; userId?: string };

export async function verifyPassword(
  database: AnyDb,
  username: string,
  password: string,
): Promise<CredentialsResult> {
  const row = await db(database)
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled'])
    .where('username_key', '=', usernameKey(username))
    .executeTakeFirst();
  const matches = await checkPassword(row?.password_hash, password);
  if (!row) return { ok: false, reason: 'unknown_user' };
  if (!matches) return { ok: false, reason: 'wrong_password', userId: row.id };
  if (Number(row.disabled) === 1) return { ok: false, reason: 'disabled', userId: row.id };
  const user = await findUserById(database, row.id);
  if (!user || user.disabled) return { ok: false, reason: 'disabled', userId: row.id };
  return { ok: true, user };
}
