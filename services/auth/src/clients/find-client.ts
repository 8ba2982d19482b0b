/** Client look-ups: by id (token endpoint, /authorize) and the whole list (admin API, CLI). */
import type { Kysely } from 'kysely';
import type { TokenTables } from '../db/tables.js';
import { clientFromRow, type Client } from './client.js';

export async function findClient<DB>(db: Kysely<DB>, clientId: string): Promise<Client | undefined> {
  const row = await (db as unknown as Kysely<TokenTables>)
    .selectFrom('clients')
    .selectAll()
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row ? clientFromRow(row) : undefined;
}

export async function listClients<DB>(db: Kysely<DB>): Promise<Client[]> {
  const rows = await (db as unknown as Kysely<TokenTables>)
    .selectFrom('clients')
    .selectAll()
    .orderBy('client_id')
    .execute();
  return rows.map(clientFromRow);
}

/** True when `redirectUri` is registered for the client, compared exactly (RFC 9700 §4.1.3). */
export function isRegisteredRedirectUri(client: Client, redirectUri: string): boolean {
  return client.redirectUris.includes(redirectUri);
}
