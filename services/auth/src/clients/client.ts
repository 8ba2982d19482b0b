/** A registered OAuth client, as the rest of the service sees it (JSON columns parsed). */
import type { JSONWebKeySet } from 'jose';
import type { Selectable } from 'kysely';
import type { ClientsTable } from '../db/tables.js';
import { ms } from '../db/tables.js';

export type ClientType = 'confidential' | 'public';
export type TokenEndpointAuthMethod =
  'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
export type GrantType = 'authorization_code' | 'client_credentials' | 'refresh_token';

export const GRANT_TYPES: readonly GrantType[] = [
  'authorization_code',
  'client_credentials',
  'refresh_token',
];
export const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
];

export interface Client {
  clientId: string;
  name: string | null;
  type: ClientType;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Compared by exact string match (RFC 9700 §4.1.3). */
  redirectUris: string[];
  grantTypes: GrantType[];
  /** Scopes the client may ask for. */
  scopes: string[];
  /** Audiences (RFC 8707 resources) the client may ask tokens for. */
  audiences: string[];
  /** Roles of the client's service account (client_credentials tokens). */
  roles: string[];
  /** JWK Set (RFC 7517) for private_key_jwt. */
  jwks: JSONWebKeySet | null;
  /** Access-token lifetime in seconds; null → the server default. */
  accessTokenTtl: number | null;
  /** First-party clients skip the consent screen. */
  firstParty: boolean;
  createdAt: number;
  /** @internal SHA-256 of the secret. */
  secretHash: string | null;
}

export function clientFromRow(row: Selectable<ClientsTable>): Client {
  return {
    clientId: row.client_id,
    name: row.name,
    type: row.type,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method as TokenEndpointAuthMethod,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    grantTypes: JSON.parse(row.grant_types) as GrantType[],
    scopes: JSON.parse(row.scopes) as string[],
    audiences: JSON.parse(row.audiences) as string[],
    roles: JSON.parse(row.roles) as string[],
    jwks: row.jwks === null ? null : (JSON.parse(row.jwks) as JSONWebKeySet),
    accessTokenTtl: row.access_token_ttl,
    firstParty: row.first_party === 1,
    createdAt: ms(row.created_at),
    secretHash: row.secret_hash,
  };
}

/** The client without its secret hash, for listings and the admin API. */
export function publicView(client: Client): Omit<Client, 'secretHash'> {
  const { secretHash: _omit, ...rest } = client;
  return rest;
}
