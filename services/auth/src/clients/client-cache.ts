/**
 * A short-lived in-memory cache of client registrations for the token endpoint's hot path: a
 * burst of client-credentials requests then touches the database only for its audit events.
 * A change to a client (new secret, removal) reaches every instance within `ttlMs`.
 */
import type { Client } from './client.js';

export function cachedLookup(
  lookup: (clientId: string) => Promise<Client | undefined>,
  ttlMs: number,
  maxEntries = 10_000,
): (clientId: string) => Promise<Client | undefined> {
  if (ttlMs <= 0) return lookup;
  const cache = new Map<string, { client: Client; until: number }>();
  return async (clientId) => {
    const now = Date.now();
    const hit = cache.get(clientId);
    if (hit && hit.until > now) return hit.client;
    const client = await lookup(clientId);
    // Unknown ids are not cached: an attacker must not fill the cache with them.
    if (client) {
      if (cache.size >= maxEntries) cache.clear();
      cache.set(clientId, { client, until: now + ttlMs });
    } else {
      cache.delete(clientId);
    }
    return client;
  };
}
