/**
 * The platform's own services as OAuth clients (client credentials): each uses its token to
 * follow the revocation feed, read its configuration and call its peers. `rampart up` generates
 * one secret per service and hands it to both sides (`serviceClients` here, `security.clientSecret`
 * there). Registrations are kept in step on every start: a changed secret replaces the old one.
 */
import type { AuthContext } from '../../context.js';
import { createClient } from '../../clients/create-client.js';
import { findClient } from '../../clients/find-client.js';
import { sha256 } from '../../lib/random.js';

/** What a platform service may ask for: the feed, its configuration, and stats where offered. */
export const SERVICE_CLIENT_SCOPES = ['revocations:read', 'config:read', 'orders:stats'];

export async function syncServiceClients(
  context: AuthContext,
  secrets: Readonly<Record<string, string>>,
): Promise<string[]> {
  const names = Object.keys(secrets);
  const synced: string[] = [];
  for (const [clientId, secret] of Object.entries(secrets)) {
    // Uncached: the cached look-up would keep the old secret for clientCacheSeconds.
    const existing = await findClient(context.db, clientId);
    if (!existing) {
      await createClient(context.db, {
        clientId,
        name: `Rampart service ${clientId}`,
        type: 'confidential',
        grantTypes: ['client_credentials'],
        scopes: SERVICE_CLIENT_SCOPES,
        // A service may ask for a token for any platform peer (RFC 8707 resource=<peer>).
        audiences: names,
        secret,
      });
    } else {
      await context.db
        .updateTable('clients')
        .set({
          secret_hash: sha256(secret),
          audiences: JSON.stringify(names),
          scopes: JSON.stringify(SERVICE_CLIENT_SCOPES),
        })
        .where('client_id', '=', clientId)
        .execute();
    }
    synced.push(clientId);
  }
  return synced;
}
