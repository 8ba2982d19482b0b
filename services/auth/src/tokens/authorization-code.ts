/**
 * Authorization codes: written by the people side after a login (`createAuthorizationCode`),
 * redeemed once by the token endpoint (`consumeAuthorizationCode`).
 *
 * RFC 6749 §4.1.2 and RFC 9700 §4.5: short-lived (≤ 60 s), single use, bound to the client, the
 * redirect URI and the PKCE challenge; ≥ 256 bits from a CSPRNG; only the SHA-256 is stored.
 */
import type { Kysely } from 'kysely';
import type { AuthorizationCodesTable, TokenTables } from '../db/tables.js';
import { ms } from '../db/tables.js';
import { randomToken, sha256 } from '../lib/random.js';

/** Lifetime of a code (RFC 6749 §4.1.2 recommends at most 10 minutes; we keep it at 60 s). */
export const CODE_TTL_MS = 60_000;

export interface AuthorizationCodeInput {
  clientId: string;
  userId: string;
  /** Exactly as the client sent it in the authorization request. */
  redirectUri: string;
  codeChallenge: string;
  /** Only S256 is supported (RFC 9700 §2.1.1). */
  codeChallengeMethod: 'S256';
  /** Space-separated granted scopes. */
  scope: string;
  nonce?: string | null | undefined;
  /** RFC 8707 resource indicators requested at /authorize. */
  resource?: readonly string[] | null | undefined;
  /** When the user authenticated (epoch seconds), for `auth_time`. */
  authTime: number;
  /** The login session; RP-initiated logout revokes every family issued under it. */
  sessionId?: string | null | undefined;
}

/** Stores a new code and returns it (the only time it exists in clear). */
export async function createAuthorizationCode<DB>(
  db: Kysely<DB>,
  input: AuthorizationCodeInput,
  now = Date.now(),
): Promise<string> {
  if (input.codeChallengeMethod !== 'S256') throw new TypeError('invalid codeChallengeMethod: expected S256');
  const code = randomToken();
  await (db as unknown as Kysely<TokenTables>)
    .insertInto('authorization_codes')
    .values({
      code_hash: sha256(code),
      client_id: input.clientId,
      user_id: input.userId,
      redirect_uri: input.redirectUri,
      code_challenge: input.codeChallenge,
      code_challenge_method: input.codeChallengeMethod,
      scope: input.scope,
      nonce: input.nonce ?? null,
      resource: input.resource && input.resource.length > 0 ? JSON.stringify(input.resource) : null,
      auth_time: input.authTime,
      session_id: input.sessionId ?? null,
      expires_at: now + CODE_TTL_MS,
      consumed_at: null,
      created_at: now,
    })
    .execute();
  return code;
}

export type StoredCode = Omit<AuthorizationCodesTable, 'expires_at' | 'consumed_at' | 'created_at'> & {
  expires_at: number;
  consumed_at: number | null;
};

export type ConsumeResult =
  | { outcome: 'ok'; code: StoredCode }
  /** Already redeemed once: the caller revokes what the first redemption issued (RFC 6749 §4.1.2). */
  | { outcome: 'replayed'; code: StoredCode }
  | { outcome: 'invalid' };

/**
 * Marks a code consumed with a conditional UPDATE, so two concurrent redemptions (on any
 * instance) cannot both succeed.
 */
export async function consumeAuthorizationCode(
  db: Kysely<TokenTables>,
  code: string,
  now = Date.now(),
): Promise<ConsumeResult> {
  const codeHash = sha256(code);
  const row = await db
    .selectFrom('authorization_codes')
    .selectAll()
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  if (!row) return { outcome: 'invalid' };
  const stored: StoredCode = {
    ...row,
    expires_at: ms(row.expires_at),
    consumed_at: row.consumed_at === null ? null : ms(row.consumed_at),
  };
  if (stored.consumed_at !== null) return { outcome: 'replayed', code: stored };
  if (stored.expires_at <= now) return { outcome: 'invalid' };
  const updated = await db
    .updateTable('authorization_codes')
    .set({ consumed_at: now })
    .where('code_hash', '=', codeHash)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return { outcome: 'replayed', code: stored };
  return { outcome: 'ok', code: { ...stored, consumed_at: now } };
}
