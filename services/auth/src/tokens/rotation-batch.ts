/**
 * Group commit for refresh-token rotation. Rotations that arrive while a batch is being written
 * go into the next one, which is one transaction of three statements whatever its size: one
 * conditional UPDATE of the parents (`… WHERE token_hash IN (…) AND rotated_at IS NULL RETURNING`),
 * one INSERT of the winners' children, one INSERT of their access-token records. A burst of
 * refreshes then costs one commit (one fsync on SQLite, a few round trips on PostgreSQL), not one
 * each — the commit, not the queries, was most of a refresh's cost.
 *
 * Every call still resolves only once its own rotation is committed, and each parent is rotated by
 * the conditional UPDATE, so of two concurrent rotations of one token — in one batch, in two batches
 * or on two instances sharing the database — exactly one wins (RFC 9700 §4.14.2).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { createGroupCommit } from '@rampart/store';
import type { TokenTables } from '../db/tables.js';
import { sha256 } from '../lib/random.js';

export interface NewRefreshToken {
  familyId: string;
  parentHash: string | null;
  scope: string;
  /** min(now + idle lifetime, the family's absolute expiry). */
  expiresAt: number;
}

export interface Rotation {
  parentHash: string;
  child: NewRefreshToken;
  childToken: string;
  /** The sealed token response a concurrent retry within the grace window receives. */
  sealedResult: string;
  accessToken: { jti: string; expiresAt: number };
}

interface Pending {
  rotation: Rotation;
  now: number;
}

/** Bounds one batch's statements (bound parameters: SQLite ≤ 32766, PostgreSQL ≤ 65535). */
const MAX_BATCH = 200;

/** Rotates parents in batches; `rotate` resolves true when this call rotated its parent. */
export function createRotationBatcher(db: Kysely<TokenTables>): {
  rotate(rotation: Rotation, now: number): Promise<boolean>;
} {
  const writer = createGroupCommit(async (batch: readonly Pending[]) => {
    const won = await writeBatch(db, batch);
    return batch.map((item) => won.has(item));
  }, MAX_BATCH);
  return { rotate: (rotation, now) => writer.submit({ rotation, now }) };
}

/** One transaction for the batch; returns the items that rotated their parent. */
async function writeBatch(db: Kysely<TokenTables>, batch: readonly Pending[]): Promise<Set<Pending>> {
  // The same parent twice in one batch (a retry racing its original): only the first may win; the
  // others lose, as they would in a later batch, and then read the winner's committed result.
  const byParent = new Map<string, Pending>();
  for (const item of batch) {
    if (!byParent.has(item.rotation.parentHash)) byParent.set(item.rotation.parentHash, item);
  }
  // One UPDATE locks all the batch's parents, in the order PostgreSQL scans them — the same for two
  // instances' overlapping batches. Should it still detect a deadlock, only that batch fails
  // (500, nothing rotated: the clients' retries then rotate).
  const candidates = [...byParent.values()];
  const hashes = candidates.map((c) => c.rotation.parentHash);

  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('refresh_tokens')
      .set({
        // Each parent gets its own request's time and result.
        rotated_at: caseByParent(candidates, (item) => sql`cast(${item.now} as bigint)`),
        rotation_result: caseByParent(candidates, (item) => sql`${item.rotation.sealedResult}`),
      })
      .where('token_hash', 'in', hashes)
      .where('rotated_at', 'is', null)
      .returning('token_hash')
      .execute();
    const rotated = new Set(updated.map((row) => row.token_hash));
    const winners = candidates.filter((c) => rotated.has(c.rotation.parentHash));
    if (winners.length === 0) return new Set<Pending>();

    await trx
      .insertInto('refresh_tokens')
      .values(
        winners.map(({ rotation, now }) => ({
          token_hash: sha256(rotation.childToken),
          family_id: rotation.child.familyId,
          parent_hash: rotation.child.parentHash,
          scope: rotation.child.scope,
          created_at: now,
          expires_at: rotation.child.expiresAt,
          rotated_at: null,
          rotation_result: null,
        })),
      )
      .execute();
    await trx
      .insertInto('family_access_tokens')
      .values(
        winners.map(({ rotation }) => ({
          jti: rotation.accessToken.jti,
          family_id: rotation.child.familyId,
          expires_at: rotation.accessToken.expiresAt,
        })),
      )
      .execute();
    return new Set(winners);
  });
}

/** `CASE token_hash WHEN <parent> THEN <value> … END` over the batch. */
function caseByParent<T>(
  items: readonly Pending[],
  value: (item: Pending) => RawBuilder<unknown>,
): RawBuilder<T> {
  const whens = items.map((item) => sql`when ${item.rotation.parentHash} then ${value(item)}`);
  return sql<T>`case ${sql.ref('token_hash')} ${sql.join(whens, sql` `)} end`;
}
