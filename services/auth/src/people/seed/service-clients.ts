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
import type { GrantType } from '../../clients/client.js';

/** What a platform service may ask for: the feed, its configuration, and stats where offered. */
export const SERVICE_CLIENT_SCOPES = ['revocations:read', 'config:read', 'orders:stats'];

/** What people signing in through a service (the gateway) may be granted. */
const SIGN_IN_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

export type ServiceClientSpec = string | { secret: string; redirectUris: string[] };

export async function syncServiceClients(
  context: AuthContext,
  specs: Readonly<Record<string, ServiceClientSpec>>,
): Promise<string[]> {
  // A service may ask for a token for any platform peer (RFC 8707 resource=<peer>) and for the
  // platform edge (the server's default audience, which the gateway checks).
  const audiences = [context.config.defaultAudience, ...Object.keys(specs)];
  const synced: string[] = [];
  for (const [clientId, spec] of Object.entries(specs)) {
    const { secret, redirectUris } = typeof spec === 'string' ? { secret: spec, redirectUris: [] } : spec;
    const signsIn = redirectUris.length > 0;
    const grantTypes: GrantType[] = signsIn
      ? ['client_credentials', 'authorization_code', 'refresh_token']
      : ['client_credentials'];
    const scopes = signsIn ? [...SERVICE_CLIENT_SCOPES, ...SIGN_IN_SCOPES] : SERVICE_CLIENT_SCOPES;
    // Uncached: the cached look-up would keep the old secret for clientCacheSeconds.
    const existing = await findClient(context.db, clientId);
    if (!existing) {
      await createClient(context.db, {
        clientId,
        name: `Rampart service ${clientId}`,
        type: 'confidential',
        grantTypes,
        redirectUris,
        scopes,
        audiences,
        firstParty: true,
        secret,
      });
    } else {
      await context.db
        .updateTable('clients')
        .set({
          secret_hash: sha256(secret),
          grant_types: JSON.stringify(grantTypes),
          redirect_uris: JSON.stringify(redirectUris),
          audiences: JSON.stringify(audiences),
          scopes: JSON.stringify(scopes),
        })
        .where('client_id', '=', clientId)
        .execute();
    }
    synced.push(clientId);
  }
  return synced;
}
