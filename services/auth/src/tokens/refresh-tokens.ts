/**
 * Refresh tokens: opaque (256 bits), stored as SHA-256, linked to their parent within a family so
 * that a rotated token presented again is recognised as reuse (RFC 9700 §4.14.2).
 *
 * Rotation is a conditional UPDATE (`… WHERE token_hash = ? AND rotated_at IS NULL`) in a
 * transaction with the child's insert, group-committed with the other rotations in flight: of two
 * concurrent rotations — on one instance or two sharing a database — exactly one wins; the loser
 * sees the winner's committed result.
 */
import type { Kysely, Transaction } from 'kysely';
import { ms, type TokenTables } from '../db/tables.js';
import { batchedLookup } from '../lib/batched-lookup.js';
import { randomToken, sha256 } from '../lib/random.js';
import { createRotationBatcher, type NewRefreshToken, type Rotation } from './rotation-batch.js';

export type { NewRefreshToken, Rotation } from './rotation-batch.js';

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

const readers = new WeakMap<
  Kysely<TokenTables>,
  (tokenHash: string) => Promise<RefreshTokenState | undefined>
>();

/** The refresh token and its family; look-ups in one event-loop turn share one query. */
export function findRefreshToken(
  db: Kysely<TokenTables>,
  token: string,
): Promise<RefreshTokenState | undefined> {
  let reader = readers.get(db);
  if (!reader) {
    reader = batchedLookup((hashes) => findRefreshTokens(db, hashes));
    readers.set(db, reader);
  }
  return reader(sha256(token));
}

/** By token hash; the hashes not found are absent from the map. */
export async function findRefreshTokens(
  db: Kysely<TokenTables>,
  tokenHashes: readonly string[],
): Promise<Map<string, RefreshTokenState>> {
  const rows = await db
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
    .where('r.token_hash', 'in', tokenHashes)
    .execute();
  return new Map(rows.map((row) => [row.token_hash, toState(row)]));
}

function toState(row: {
  token_hash: string;
  family_id: string;
  scope: string;
  expires_at: number | string;
  rotated_at: number | string | null;
  rotation_result: string | null;
  client_id: string;
  user_id: string | null;
  session_id: string | null;
  family_scope: string;
  resource: string | null;
  auth_time: number | null;
  absolute_expires_at: number | string;
  revoked_at: number | string | null;
}): RefreshTokenState {
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

const batchers = new WeakMap<Kysely<TokenTables>, ReturnType<typeof createRotationBatcher>>();

/**
 * True when this call rotated the parent; false when someone else already had. Group-committed
 * with the other rotations in flight on this database (see rotation-batch.ts).
 */
export function rotateRefreshToken(
  db: Kysely<TokenTables>,
  rotation: Rotation,
  now: number,
): Promise<boolean> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = createRotationBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher.rotate(rotation, now);
}
