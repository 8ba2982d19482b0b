/** Creates a user with an argon2id password hash and its roles. */
import type { AnyDb } from './tables.js';
import { randomToken } from '../lib/random.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.js';
import { db, recordFromRow } from './user-record.js';
import { UserError } from './user-errors.js';
import type { UserRecord } from './user-store.js';
import { usernameKey } from './tables.js';

export interface AddUserInput {
  username: string;
  password: string;
  roles?: readonly string[];
  name?: string | undefined;
  email?: string | undefined;
}

const USERNAME = /^[\p{L}\p{N}._@+-]{1,64}$/u;
export const ROLE = /^[A-Za-z0-9._:-]{1,64}$/;

export function validateRoles(roles: readonly string[]): string[] {
  for (const role of roles) {
    if (!ROLE.test(role))
      throw new UserError('invalid_input', `invalid role "${role}": expected ${ROLE.source}`);
  }
  return [...new Set(roles)].sort();
}

function validate(input: AddUserInput): void {
  if (!USERNAME.test(input.username)) {
    throw new UserError('invalid_input', 'invalid username: 1–64 letters, digits or . _ @ + -');
  }
  // ASVS V6.2.1/V6.2.4: at least 8 characters, long passphrases allowed, no composition rules.
  if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > MAX_PASSWORD_LENGTH) {
    throw new UserError(
      'invalid_input',
      `invalid password: expected ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  if (input.name !== undefined && input.name.length > 200)
    throw new UserError('invalid_input', 'name is too long');
  if (input.email !== undefined && !/^[^\s@]{1,64}@[^\s@]{1,255}$/.test(input.email)) {
    throw new UserError('invalid_input', 'invalid email');
  }
}

export async function addUser(database: AnyDb, input: AddUserInput, now = Date.now()): Promise<UserRecord> {
  validate(input);
  const roles = validateRoles(input.roles ?? []);
  const key = usernameKey(input.username);
  const taken = await db(database)
    .selectFrom('users')
    .select('id')
    .where('username_key', '=', key)
    .executeTakeFirst();
  if (taken) throw new UserError('username_taken', `username "${input.username}" is taken`);
  const row = {
    id: randomToken(16),
    username: input.username,
    username_key: key,
    password_hash: await hashPassword(input.password),
    disabled: 0,
    name: input.name ?? null,
    email: input.email ?? null,
    created_at: now,
    updated_at: now,
  };
  try {
    await db(database)
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('users').values(row).execute();
        if (roles.length > 0) {
          await trx
            .insertInto('user_roles')
            .values(roles.map((role) => ({ user_id: row.id, role })))
            .execute();
        }
      });
  } catch (error) {
    // A concurrent insert of the same name hit the unique index.
    const again = await db(database)
      .selectFrom('users')
      .select('id')
      .where('username_key', '=', key)
      .executeTakeFirst();
    if (again) throw new UserError('username_taken', `username "${input.username}" is taken`);
    throw error;
  }
  return recordFromRow(row, roles);
}
