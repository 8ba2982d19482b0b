/**
 * Login sessions: a server-side row per browser login. The cookie holds a 256-bit random value;
 * the row's id is its SHA-256, so the database never holds a usable cookie. A new session is
 * created on every login (no session fixation, ASVS V7.2.4); idle and absolute lifetimes bound it.
 */
import type { AnyDb } from '../../users/tables.js';
import type { Kysely } from 'kysely';
import { ms } from '../../db/tables.js';
import { randomToken, sha256 } from '../../lib/random.js';
import type { PeopleTables } from '../../users/tables.js';

export interface LoginSession {
  id: string;
  userId: string;
  authTime: number;
  expiresAt: number;
}

export interface SessionLifetimes {
  idleMs: number;
  absoluteMs: number;
}

function people(db: AnyDb): Kysely<PeopleTables> {
  return db as Kysely<PeopleTables>;
}

export async function createLoginSession(
  db: AnyDb,
  userId: string,
  lifetimes: SessionLifetimes,
  now = Date.now(),
): Promise<{ cookie: string; session: LoginSession }> {
  const cookie = randomToken();
  const session = {
    id: sha256(cookie),
    userId,
    authTime: Math.floor(now / 1000),
    expiresAt: now + lifetimes.absoluteMs,
  };
  await people(db)
    .insertInto('login_sessions')
    .values({
      id: session.id,
      user_id: userId,
      auth_time: session.authTime,
      created_at: now,
      last_seen_at: now,
      expires_at: session.expiresAt,
      ended_at: null,
    })
    .execute();
  return { cookie, session };
}

/** The live session behind a cookie value (not ended, not expired, not idle too long). */
export async function findLoginSession(
  db: AnyDb,
  cookie: string | undefined,
  lifetimes: SessionLifetimes,
  now = Date.now(),
): Promise<LoginSession | undefined> {
  if (!cookie) return undefined;
  const id = sha256(cookie);
  const row = await people(db)
    .selectFrom('login_sessions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || row.ended_at !== null) return undefined;
  const expiresAt = ms(row.expires_at);
  if (expiresAt <= now || ms(row.last_seen_at) + lifetimes.idleMs <= now) return undefined;
  // Written at most once a minute: a busy browser does not write on every request.
  if (now - ms(row.last_seen_at) > 60_000) {
    await people(db).updateTable('login_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
  }
  return { id, userId: row.user_id, authTime: row.auth_time, expiresAt };
}

export async function endLoginSession(db: AnyDb, sessionId: string, now = Date.now()): Promise<boolean> {
  const result = await people(db)
    .updateTable('login_sessions')
    .set({ ended_at: now })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Housekeeping: sessions past their expiry (or ended long ago) are deleted. */
export async function purgeLoginSessions(db: AnyDb, now = Date.now()): Promise<number> {
  const result = await people(db)
    .deleteFrom('login_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('ended_at', '<=', now - 86_400_000)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
