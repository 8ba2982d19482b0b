/**
 * Refresh-token families: one per grant (a login at one client). Revoking a family ends every
 * refresh token in it and denies every access token issued from it until its `exp` (RFC 9700
 * §4.14.2; RFC 7009 §2.1).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ms, type TokenTables } from '../db/tables.js';
import type { RevocationFeed, RevocationInput } from './revocation-feed.js';

export interface NewFamily {
  clientId: string;
  userId: string;
  sessionId: string | null;
  codeHash: string | null;
  scope: string;
  resource: string[] | null;
  authTime: number | null;
  absoluteExpiresAt: number;
}

export async function createFamily(db: Kysely<TokenTables>, family: NewFamily, now: number): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('token_families')
    .values({
      id,
      client_id: family.clientId,
      user_id: family.userId,
      session_id: family.sessionId,
      code_hash: family.codeHash,
      scope: family.scope,
      resource: family.resource ? JSON.stringify(family.resource) : null,
      auth_time: family.authTime,
      created_at: now,
      absolute_expires_at: family.absoluteExpiresAt,
      revoked_at: null,
      revoked_reason: null,
    })
    .execute();
  return id;
}

/** Remembers an access token issued from a family, so the family's revocation can deny it. */
export async function recordFamilyAccessToken(
  db: Kysely<TokenTables>,
  familyId: string,
  jti: string,
  expiresAt: number,
): Promise<void> {
  await db
    .insertInto('family_access_tokens')
    .values({ jti, family_id: familyId, expires_at: expiresAt })
    .execute();
}

export type FamilySelector =
  { familyId: string } | { sessionId: string } | { userId: string } | { codeHash: string };

/**
 * Revokes the families the selector names (those not yet revoked), and publishes the families and
 * their live access tokens on the revocation feed. Conditional, so two instances revoking the same
 * family publish it once. Returns the revoked family ids.
 */
export async function revokeFamilies(
  db: Kysely<TokenTables>,
  feed: RevocationFeed,
  selector: FamilySelector,
  reason: string,
  now = Date.now(),
): Promise<string[]> {
  let query = db
    .updateTable('token_families')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('revoked_at', 'is', null);
  if ('familyId' in selector) query = query.where('id', '=', selector.familyId);
  else if ('sessionId' in selector) query = query.where('session_id', '=', selector.sessionId);
  else if ('userId' in selector) query = query.where('user_id', '=', selector.userId);
  else query = query.where('code_hash', '=', selector.codeHash);
  const revoked = await query.returning(['id', 'absolute_expires_at']).execute();
  if (revoked.length === 0) return [];

  const ids = revoked.map((r) => r.id);
  const tokens = await db
    .selectFrom('family_access_tokens')
    .select(['jti', 'expires_at'])
    .where('family_id', 'in', ids)
    .where('expires_at', '>', now)
    .execute();
  const events: RevocationInput[] = [
    ...revoked.map((r) => ({ kind: 'family' as const, value: r.id, expiresAt: ms(r.absolute_expires_at) })),
    ...tokens.map((t) => ({ kind: 'jti' as const, value: t.jti, expiresAt: ms(t.expires_at) })),
  ];
  await feed.record(events, now);
  return ids;
}
