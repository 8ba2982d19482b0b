/**
 * Row types of the people side's tables (migration 0002). Epoch-millisecond columns are `bigint`
 * on PostgreSQL, which `pg` returns as strings: read them through `ms()` (src/db/tables.ts).
 */
import type { Kysely } from 'kysely';
import type { EpochMs, NullableEpochMs } from '../db/tables.js';

export interface UsersTable {
  id: string;
  username: string;
  /** `usernameKey(username)`: unique, what look-ups compare. */
  username_key: string;
  /** argon2id PHC string; null for a user who cannot log in with a password. */
  password_hash: string | null;
  disabled: number;
  name: string | null;
  email: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface LoginSessionsTable {
  /** SHA-256 of the cookie value; also the `sid` of tokens issued under the session. */
  id: string;
  user_id: string;
  /** Epoch seconds of the password check (OIDC `auth_time`). */
  auth_time: number;
  created_at: EpochMs;
  last_seen_at: EpochMs;
  expires_at: EpochMs;
  ended_at: NullableEpochMs;
}

export interface ConsentsTable {
  user_id: string;
  client_id: string;
  scopes: string;
  updated_at: EpochMs;
}

export interface PeopleTables {
  users: UsersTable;
  user_roles: UserRolesTable;
  login_sessions: LoginSessionsTable;
  consents: ConsentsTable;
}

export type PeopleDb = Kysely<PeopleTables>;

/** Case-insensitive, compatibility-normalized form of a username (unique per server). */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** Any service database (the token side types it with its own tables; ours are cast in). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;
