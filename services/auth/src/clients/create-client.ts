/**
 * Registers a client. Secrets are generated here (256 bits), returned once, and stored as a
 * SHA-256 hash: a high-entropy secret needs no slow hash, and a slow one would cost every token
 * request tens of milliseconds.
 */
import type { JSONWebKeySet } from 'jose';
import type { Kysely } from 'kysely';
import type { TokenTables } from '../db/tables.js';
import { randomToken, sha256 } from '../lib/random.js';
import {
  AUTH_METHODS,
  GRANT_TYPES,
  clientFromRow,
  type Client,
  type ClientType,
  type GrantType,
  type TokenEndpointAuthMethod,
} from './client.js';

export interface CreateClientInput {
  clientId?: string;
  name?: string;
  type: ClientType;
  /** Default: client_secret_basic for confidential clients, none for public ones. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  redirectUris?: string[];
  grantTypes: GrantType[];
  scopes?: string[];
  audiences?: string[];
  roles?: string[];
  jwks?: JSONWebKeySet | null;
  accessTokenTtl?: number | null;
  firstParty?: boolean;
  /** Only for seeding known secrets (demo mode); otherwise the server generates one. */
  secret?: string;
}

export class InvalidClientInput extends TypeError {}

const CLIENT_ID = /^[A-Za-z0-9._~-]{1,128}$/;

function validate(input: CreateClientInput, method: TokenEndpointAuthMethod): void {
  if (input.clientId !== undefined && !CLIENT_ID.test(input.clientId)) {
    throw new InvalidClientInput(`invalid clientId "${input.clientId}": expected ${CLIENT_ID.source}`);
  }
  if (!AUTH_METHODS.includes(method))
    throw new InvalidClientInput(`invalid tokenEndpointAuthMethod "${method}"`);
  if (input.type === 'public' && method !== 'none') {
    throw new InvalidClientInput('a public client authenticates with tokenEndpointAuthMethod "none"');
  }
  if (input.type === 'confidential' && method === 'none') {
    throw new InvalidClientInput('a confidential client needs a tokenEndpointAuthMethod other than "none"');
  }
  if (method === 'private_key_jwt' && !input.jwks?.keys?.length) {
    throw new InvalidClientInput('private_key_jwt needs jwks with at least one key');
  }
  for (const grant of input.grantTypes) {
    if (!GRANT_TYPES.includes(grant)) throw new InvalidClientInput(`invalid grant type "${grant}"`);
  }
  if (input.type === 'public' && input.grantTypes.includes('client_credentials')) {
    throw new InvalidClientInput('a public client cannot use client_credentials');
  }
  if (input.grantTypes.includes('authorization_code') && !input.redirectUris?.length) {
    throw new InvalidClientInput('authorization_code needs at least one redirect URI');
  }
  for (const uri of input.redirectUris ?? []) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new InvalidClientInput(`invalid redirect URI "${uri}": expected an absolute URL`);
    }
    // RFC 6749 §3.1.2: no fragment.
    if (url.hash) throw new InvalidClientInput(`invalid redirect URI "${uri}": fragments are not allowed`);
  }
  if (
    input.accessTokenTtl != null &&
    (!Number.isInteger(input.accessTokenTtl) || input.accessTokenTtl <= 0)
  ) {
    throw new InvalidClientInput(
      `invalid accessTokenTtl ${input.accessTokenTtl}: expected a positive integer (s)`,
    );
  }
}

export async function createClient<DB>(
  db: Kysely<DB>,
  input: CreateClientInput,
  now = Date.now(),
): Promise<{ client: Client; secret?: string }> {
  const method = input.tokenEndpointAuthMethod ?? (input.type === 'public' ? 'none' : 'client_secret_basic');
  validate(input, method);
  const usesSecret = method === 'client_secret_basic' || method === 'client_secret_post';
  const secret = usesSecret ? (input.secret ?? randomToken()) : undefined;
  const row = {
    client_id: input.clientId ?? randomToken(16),
    name: input.name ?? null,
    secret_hash: secret === undefined ? null : sha256(secret),
    type: input.type,
    token_endpoint_auth_method: method,
    redirect_uris: JSON.stringify(input.redirectUris ?? []),
    grant_types: JSON.stringify(input.grantTypes),
    scopes: JSON.stringify(input.scopes ?? []),
    audiences: JSON.stringify(input.audiences ?? []),
    roles: JSON.stringify(input.roles ?? []),
    jwks: input.jwks ? JSON.stringify(input.jwks) : null,
    access_token_ttl: input.accessTokenTtl ?? null,
    first_party: input.firstParty ? 1 : 0,
    created_at: now,
  };
  await (db as unknown as Kysely<TokenTables>).insertInto('clients').values(row).execute();
  const client = clientFromRow({ ...row });
  return secret === undefined ? { client } : { client, secret };
}
