/**
 * Periodic purge, so no table grows without bound: expired and consumed codes, expired refresh
 * tokens, families past their absolute lifetime (kept a day longer for reuse detection and audit),
 * access-token records and revocations past their `exp`, and grace-window results no longer needed.
 */
import type { Kysely } from 'kysely';
import type { TokenTables } from './db/tables.js';

const FAMILY_RETENTION_MS = 86_400_000;

export interface PurgeCounts {
  codes: number;
  refreshTokens: number;
  families: number;
  accessTokens: number;
  revocations: number;
}

export async function purgeExpired(
  db: Kysely<TokenTables>,
  graceMs: number,
  now = Date.now(),
): Promise<PurgeCounts> {
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  const codes = count(
    await db.deleteFrom('authorization_codes').where('expires_at', '<=', now).executeTakeFirst(),
  );
  const refreshTokens = count(
    await db.deleteFrom('refresh_tokens').where('expires_at', '<=', now).executeTakeFirst(),
  );
  await db
    .updateTable('refresh_tokens')
    .set({ rotation_result: null })
    .where('rotation_result', 'is not', null)
    .where('rotated_at', '<=', now - graceMs)
    .execute();
  const ended = db
    .selectFrom('token_families')
    .select('id')
    .where('absolute_expires_at', '<=', now - FAMILY_RETENTION_MS);
  await db.deleteFrom('refresh_tokens').where('family_id', 'in', ended).execute();
  await db.deleteFrom('family_access_tokens').where('family_id', 'in', ended).execute();
  const families = count(
    await db
      .deleteFrom('token_families')
      .where('absolute_expires_at', '<=', now - FAMILY_RETENTION_MS)
      .executeTakeFirst(),
  );
  const accessTokens = count(
    await db.deleteFrom('family_access_tokens').where('expires_at', '<=', now).executeTakeFirst(),
  );
  const revocations = count(
    await db.deleteFrom('revocations').where('expires_at', '<=', now).executeTakeFirst(),
  );
  return { codes, refreshTokens, families, accessTokens, revocations };
}

/** Runs `purgeExpired` every `intervalMs` on an unref'd timer; returns a stop function. */
export function startHousekeeping(
  db: Kysely<TokenTables>,
  options: {
    intervalMs: number;
    graceMs: number;
    onError: (error: unknown) => void;
    onPurged?: (c: PurgeCounts) => void;
  },
): () => void {
  const timer = setInterval(() => {
    purgeExpired(db, options.graceMs).then(options.onPurged, options.onError);
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
