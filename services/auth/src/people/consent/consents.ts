/** Remembered consents: which scopes a person granted a (third-party) client. */
import type { AnyDb } from '../../users/tables.js';
import type { Kysely } from 'kysely';
import type { PeopleTables } from '../../users/tables.js';

function people(db: AnyDb): Kysely<PeopleTables> {
  return db as Kysely<PeopleTables>;
}

export async function grantedScopes(db: AnyDb, userId: string, clientId: string): Promise<Set<string>> {
  const row = await people(db)
    .selectFrom('consents')
    .select('scopes')
    .where('user_id', '=', userId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return new Set(row ? row.scopes.split(' ').filter((s) => s !== '') : []);
}

/** Adds `scopes` to what the person already granted the client. */
export async function rememberConsent(
  db: AnyDb,
  userId: string,
  clientId: string,
  scopes: readonly string[],
  now = Date.now(),
): Promise<void> {
  const merged = [...new Set([...(await grantedScopes(db, userId, clientId)), ...scopes])].sort().join(' ');
  await people(db)
    .insertInto('consents')
    .values({ user_id: userId, client_id: clientId, scopes: merged, updated_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'client_id']).doUpdateSet({ scopes: merged, updated_at: now }))
    .execute();
}
