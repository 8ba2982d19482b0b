/** The longest lifetime of anything the signing keys sign: a retired key stays published this long. */
import type { Kysely } from 'kysely';
import type { TokenTables } from '../db/tables.js';

export async function maxSignedTokenLifetimeMs(
  db: Kysely<TokenTables>,
  config: { accessTokenTtlSeconds: number; idTokenTtlSeconds: number },
): Promise<number> {
  const row = await db
    .selectFrom('clients')
    .select((eb) => eb.fn.max('access_token_ttl').as('max'))
    .executeTakeFirst();
  return Math.max(config.accessTokenTtlSeconds, config.idTokenTtlSeconds, Number(row?.max ?? 0)) * 1000;
}
