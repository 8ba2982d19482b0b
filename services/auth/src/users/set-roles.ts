/** Replaces a user's roles (tokens issued later carry the new set). */
import type { AnyDb } from './tables.js';
import { validateRoles } from './add-user.js';
import { db, findUserById } from './user-record.js';
import { UserError } from './user-errors.js';
import type { UserRecord } from './user-store.js';

export async function setRoles(
  database: AnyDb,
  userId: string,
  roles: readonly string[],
  now = Date.now(),
): Promise<UserRecord> {
  const wanted = validateRoles(roles);
  await db(database)
    .transaction()
    .execute(async (trx) => {
      const updated = await trx
        .updateTable('users')
        .set({ updated_at: now })
        .where('id', '=', userId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new UserError('not_found', `no user "${userId}"`);
      await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
      if (wanted.length > 0) {
        await trx
          .insertInto('user_roles')
          .values(wanted.map((role) => ({ user_id: userId, role })))
          .execute();
      }
    });
  const user = await findUserById(database, userId);
  if (!user) throw new UserError('not_found', `no user "${userId}"`);
  return user;
}
