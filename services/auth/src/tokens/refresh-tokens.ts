/**
 * Refresh tokens: opaque (256 bits), stored as SHA-256, linked to their parent within a family so
 * that a rotated token presented again is recognised as reuse (RFC 9700 §4.14.2).
 *
 * Rotation is one conditional UPDATE (`… WHERE token_hash = ? AND rotated_at IS NULL`) in a
 * transaction with the child's insert: of two concurrent rotations — on one instance or two
 * sharing a database — exactly one wins; the loser sees the winner's committed result.
 */
import type { Kysely, Transaction } from 'kysely';
import { ms, type TokenTables } from '../db/tables.js';
import { randomToken, sha256 } from '../lib/random.js';

export interface RefreshTokenState {
  tokenHash: string;
  familyId: string;
  scope: string;
  expiresAt: number;
  rotatedAt: number | null;
  rotationResult: string | null;
  family: {
    clientId: string;
    userId: string | null;
    sessionId: string | null;
    scope: string;
    resource: string[] | null;
    authTime: number | null;
    absoluteExpiresAt: number;
    revokedAt: number | null;
  };
}

export async function findRefreshToken(
  db: Kysely<TokenTables>,
  token: string,
): Promise<RefreshTokenState | undefined> {
  const row = await db
    .selectFrom('refresh_tokens as r')
    .innerJoin('token_families as f', 'f.id', 'r.family_id')
    .select([
      'r.token_hash',
      'r.family_id',
      'r.scope',
      'r.expires_at',
      'r.rotated_at',
      'r.rotation_result',
      'f.client_id',
      'f.user_id',
      'f.session_id',
      'f.scope as family_scope',
      'f.resource',
      'f.auth_time',
      'f.absolute_expires_at',
      'f.revoked_at',
    ])
    .where('r.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    tokenHash: row.token_hash,
    familyId: row.family_id,
    scope: row.scope,
    expiresAt: ms(row.expires_at),
    rotatedAt: row.rotated_at === null ? null : ms(row.rotated_at),
    rotationResult: row.rotation_result,
    family: {
      clientId: row.client_id,
      userId: row.user_id,
      sessionId: row.session_id,
      scope: row.family_scope,
      resource: row.resource === null ? null : (JSON.parse(row.resource) as string[]),
      authTime: row.auth_time,
      absoluteExpiresAt: ms(row.absolute_expires_at),
      revokedAt: row.revoked_at === null ? null : ms(row.revoked_at),
    },
  };
}

export interface NewRefreshToken {
  familyId: string;
  parentHash: string | null;
  scope: string;
  /** min(now + idle lifetime, the family's absolute expiry). */
  expiresAt: number;
}

export async function insertRefreshToken(
  db: Kysely<TokenTables> | Transaction<TokenTables>,
  input: NewRefreshToken,
  now: number,
  token = randomToken(),
): Promise<string> {
  await db
    .insertInto('refresh_tokens')
    .values({
      token_hash: sha256(token),
      family_id: input.familyId,
      parent_hash: input.parentHash,
      scope: input.scope,
      created_at: now,
      expires_at: input.expiresAt,
      rotated_at: null,
      rotation_result: null,
    })
    .execute();
  return token;
}

export interface Rotation {
  parentHash: string;
  child: NewRefreshToken;
  childToken: string;
  /** The sealed token response a concurrent retry within the grace window receives. */
  sealedResult: string;
  accessToken: { jti: string; expiresAt: number };
}

/** True when this call rotated the parent; false when someone else already had. */
export async function rotateRefreshToken(
  db: Kysely<TokenTables>,
  rotation: Rotation,
  now: number,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('refresh_tokens')
      .set({ rotated_at: now, rotation_result: rotation.sealedResult })
      .where('token_hash', '=', rotation.parentHash)
      .where('rotated_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await insertRefreshToken(trx, rotation.child, now, rotation.childToken);
    await trx
      .insertInto('family_access_tokens')
      .values({
        jti: rotation.accessToken.jti,
        family_id: rotation.child.familyId,
        expires_at: rotation.accessToken.expiresAt,
      })
      .execute();
    return true;
  });
}
