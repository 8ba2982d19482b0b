/**
 * Row types of the token side's tables (migration 0001). Epoch-millisecond columns are `bigint`
 * on PostgreSQL, which `pg` returns as strings: read them through `ms()`.
 */
import type { ColumnType, Generated, Kysely } from 'kysely';

/** An epoch-ms column: a number when written, a number or (PostgreSQL bigint) a string when read. */
export type EpochMs = ColumnType<number | string, number, number>;
export type NullableEpochMs = ColumnType<number | string | null, number | null | undefined, number | null>;

/** Reads an epoch-ms column whatever the dialect returned. */
export function ms(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

export interface ClientsTable {
  client_id: string;
  name: string | null;
  /** SHA-256 (base64url) of the secret; null for public and private_key_jwt clients. */
  secret_hash: string | null;
  type: 'confidential' | 'public';
  token_endpoint_auth_method: string;
  /** JSON arrays. */
  redirect_uris: string;
  grant_types: string;
  scopes: string;
  audiences: string;
  roles: string;
  /** JSON JWK Set for private_key_jwt. */
  jwks: string | null;
  access_token_ttl: number | null;
  first_party: number;
  created_at: EpochMs;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  state: 'next' | 'active' | 'retired';
  public_jwk: string;
  /** AES-256-GCM ciphertext of the private JWK: `v1.<masterKeyId>.<iv>.<ciphertext+tag>` (base64url). */
  private_jwk: string;
  created_at: EpochMs;
  activated_at: NullableEpochMs;
  retired_at: NullableEpochMs;
  /** When a retired key leaves the JWKS (every token it signed has expired). */
  remove_after: NullableEpochMs;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  code_challenge: string;
  code_challenge_method: string;
  scope: string;
  nonce: string | null;
  /** JSON array of RFC 8707 resource indicators. */
  resource: string | null;
  auth_time: number;
  session_id: string | null;
  expires_at: EpochMs;
  consumed_at: NullableEpochMs;
  created_at: EpochMs;
}

export interface TokenFamiliesTable {
  id: string;
  client_id: string;
  user_id: string | null;
  session_id: string | null;
  /** The hash of the code that started the family (a replayed code revokes it). */
  code_hash: string | null;
  scope: string;
  resource: string | null;
  auth_time: number | null;
  created_at: EpochMs;
  absolute_expires_at: EpochMs;
  revoked_at: NullableEpochMs;
  revoked_reason: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  family_id: string;
  parent_hash: string | null;
  scope: string;
  created_at: EpochMs;
  /** Idle expiry. */
  expires_at: EpochMs;
  rotated_at: NullableEpochMs;
  /** Encrypted token response handed to a concurrent retry within the grace window. */
  rotation_result: string | null;
}

/** Access tokens issued to a family, so revoking the family can deny them until `exp`. */
export interface FamilyAccessTokensTable {
  jti: string;
  family_id: string;
  expires_at: EpochMs;
}

export interface RevocationsTable {
  id: Generated<number | string>;
  /** `jti` (an access token), `family`, `session`, `user`. */
  kind: string;
  value: string;
  /** Until when a deny-list must keep it (epoch ms). */
  expires_at: EpochMs;
  created_at: EpochMs;
}

export interface TokenTables {
  clients: ClientsTable;
  signing_keys: SigningKeysTable;
  authorization_codes: AuthorizationCodesTable;
  token_families: TokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  family_access_tokens: FamilyAccessTokensTable;
  revocations: RevocationsTable;
}

export type TokenDb = Kysely<TokenTables>;
