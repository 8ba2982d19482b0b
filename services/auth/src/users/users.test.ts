import type { Kysely } from 'kysely';
import type { PeopleTables } from './tables.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '@rampart/store';
import { backends, openAuthDatabase } from '../people/test-support/backends.js';
import {
  addUser,
  createUserStore,
  disableUser,
  listUsers,
  setRoles,
  UserError,
  verifyPassword,
} from './index.js';
import { PASSWORD_OPTIONS } from './password.js';

describe.each(backends('users'))('users on $name', ({ skip, url }) => {
  let database: Database<unknown>;
  beforeEach(async () => {
    if (skip) return;
    database = await openAuthDatabase(url());
  });
  afterEach(async () => {
    await database?.close();
  });

  it.skipIf(skip)('adds a user with an argon2id hash (OWASP parameters) and finds it by id', async () => {
    const alice = await addUser(database.db, {
      username: 'Alice',
      password: 'correct horse',
      roles: ['customer'],
      email: 'a@example.com',
    });
    expect(alice).toMatchObject({
      username: 'Alice',
      roles: ['customer'],
      disabled: false,
      email: 'a@example.com',
    });
    expect(alice.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const row = (await database.db
      .selectFrom('users' as never)
      .select('password_hash' as never)
      .executeTakeFirstOrThrow()) as { password_hash: string };
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(PASSWORD_OPTIONS.memoryCost).toBe(19_456);
    expect(await createUserStore(database.db).findById(alice.id)).toEqual(alice);
    expect(await createUserStore(database.db).findById('nobody')).toBeUndefined();
  });

  it.skipIf(skip)('refuses a username taken in another case', async () => {
    await addUser(database.db, { username: 'bob', password: 'password-1' });
    await expect(addUser(database.db, { username: 'BOB', password: 'password-2' })).rejects.toMatchObject({
      code: 'username_taken',
    });
    await expect(addUser(database.db, { username: 'x', password: 'short' })).rejects.toBeInstanceOf(
      UserError,
    );
  });

  it.skipIf(skip)(
    'verifies passwords case-insensitively on the username, and fails alike otherwise',
    async () => {
      const bob = await addUser(database.db, { username: 'bob', password: 'password-1' });
      expect(await verifyPassword(database.db, 'BOB', 'password-1')).toMatchObject({
        ok: true,
        user: { id: bob.id },
      });
      expect(await verifyPassword(database.db, 'bob', 'wrong-pass')).toMatchObject({
        ok: false,
        reason: 'wrong_password',
      });
      expect(await verifyPassword(database.db, 'nobody', 'password-1')).toMatchObject({
        ok: false,
        reason: 'unknown_user',
      });
      expect(await verifyPassword(database.db, 'bob', 'x'.repeat(10_000))).toMatchObject({ ok: false });
    },
  );

  it.skipIf(skip)('sets roles and lists users', async () => {
    const bob = await addUser(database.db, { username: 'bob', password: 'password-1', roles: ['customer'] });
    await addUser(database.db, { username: 'alice', password: 'password-1' });
    expect((await setRoles(database.db, bob.id, ['admin', 'customer', 'admin'])).roles).toEqual([
      'admin',
      'customer',
    ]);
    expect((await listUsers(database.db)).map((u) => [u.username, u.roles])).toEqual([
      ['alice', []],
      ['bob', ['admin', 'customer']],
    ]);
    await expect(setRoles(database.db, 'nobody', [])).rejects.toMatchObject({ code: 'not_found' });
    await expect(setRoles(database.db, bob.id, ['bad role'])).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it.skipIf(skip)(
    'disabling a user ends its sessions, revokes its tokens and refuses its password',
    async () => {
      const bob = await addUser(database.db, { username: 'bob', password: 'password-1' });
      const sessions = database.db as Kysely<PeopleTables>;
      await sessions
        .insertInto('login_sessions')
        .values({
          id: 's1',
          user_id: bob.id,
          auth_time: 1,
          created_at: 1,
          last_seen_at: 1,
          expires_at: Date.now() + 60_000,
          ended_at: null,
        })
        .execute();
      const revoked: string[] = [];
      const disabled = await disableUser(database.db, bob.id, {
        revokeUserTokens: async (id) => revoked.push(id),
      });
      expect(disabled.disabled).toBe(true);
      expect(revoked).toEqual([bob.id]);
      const session = await sessions.selectFrom('login_sessions').selectAll().executeTakeFirstOrThrow();
      expect(session.ended_at).not.toBeNull();
      expect(await verifyPassword(database.db, 'bob', 'password-1')).toMatchObject({
        ok: false,
        reason: 'disabled',
      });
    },
  );
});
