/**
 * Disables a user: the account can no longer log in, every login session ends at once, and the
 * token side revokes its refresh-token families and publishes the user on the revocation feed.
 */
import type { AnyDb } from './tables.js';
import { db, findUserById } from './user-record.js';
import { UserError } from './user-errors.js';
import type { UserRecord } from './user-store.js';

export interface DisableUserOptions {
  /** The token side's revocation (families, outstanding access tokens, the feed). */
  revokeUserTokens: (userId: string) => Promise<unknown>;
  now?: number;
}

export async function disableUser(
  database: AnyDb,
  userId: string,
  options: DisableUserOptions,
): Promise<UserRecord> {
  const now = options.now ?? Date.now();
  await db(database)
    .transaction()
    .execute(async (trx) => {
      const updated = await trx
        .updateTable('users')
        .set({ disabled: 1, updated_at: now })
        .where('id', '=', userId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new UserError('not_found', `no user "${userId}"`);
      await trx
        .updateTable('login_sessions')
        .set({ ended_at: now })
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .execute();
    });
  await options.revokeUserTokens(userId);
  const user = await findUserById(database, userId);
  if (!user) throw new UserError('not_found', `no user "${userId}"`);
  return user;
}
