/** The `signing_keys` table: next → active → retired (then deleted once nothing it signed lives). */
import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import { ms, type TokenTables } from '../db/tables.js';
import type { MasterKey } from './master-key.js';
import { seal, unseal } from './seal.js';
import { generateSigningKey, signingKey, type SigningAlg, type SigningKey } from './signing-key.js';

export interface StoredKey {
  kid: string;
  alg: SigningAlg;
  state: 'next' | 'active' | 'retired';
  publicJwk: JWK;
  createdAt: number;
  activatedAt: number | null;
  removeAfter: number | null;
  load(): SigningKey;
}

export async function readKeys(db: Kysely<TokenTables>, master: MasterKey): Promise<StoredKey[]> {
  const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at').execute();
  return rows.map((row) => {
    const publicJwk = JSON.parse(row.public_jwk) as JWK;
    const alg = row.alg as SigningAlg;
    return {
      kid: row.kid,
      alg,
      state: row.state,
      publicJwk,
      createdAt: ms(row.created_at),
      activatedAt: row.activated_at === null ? null : ms(row.activated_at),
      removeAfter: row.remove_after === null ? null : ms(row.remove_after),
      load: () =>
        signingKey(row.kid, alg, publicJwk, JSON.parse(unseal(master, row.private_jwk, row.kid)) as JWK),
    };
  });
}

/** Inserts a freshly generated key (`active` only on first start, when nobody caches a JWKS yet). */
export async function insertKey(
  db: Kysely<TokenTables>,
  master: MasterKey,
  alg: SigningAlg,
  state: 'next' | 'active',
  now: number,
): Promise<string> {
  const key = await generateSigningKey(alg);
  await db
    .insertInto('signing_keys')
    .values({
      kid: key.kid,
      alg,
      state,
      public_jwk: JSON.stringify(key.publicJwk),
      private_jwk: seal(master, JSON.stringify(key.privateJwk), key.kid),
      created_at: now,
      activated_at: state === 'active' ? now : null,
      retired_at: null,
      remove_after: null,
    })
    .execute();
  return key.kid;
}

export interface RotateKeysOptions {
  masterKey: MasterKey;
  alg: SigningAlg;
  now?: number;
}

/**
 * Starts a rotation: publishes a new `next` key, which the running instances promote to `active`
 * once it has been in the JWKS longer than verifiers cache it (RFC 7517 `kid`; no downtime).
 * Does nothing when a `next` key already waits. `rampart keys rotate` calls this.
 */
export async function rotateKeys<DB>(
  db: Kysely<DB>,
  options: RotateKeysOptions,
): Promise<{ kid: string; created: boolean }> {
  const tokens = db as unknown as Kysely<TokenTables>;
  const waiting = await tokens
    .selectFrom('signing_keys')
    .select('kid')
    .where('state', '=', 'next')
    .executeTakeFirst();
  if (waiting) return { kid: waiting.kid, created: false };
  const kid = await insertKey(tokens, options.masterKey, options.alg, 'next', options.now ?? Date.now());
  return { kid, created: true };
}
