/** Clients, signing keys, authorization codes, refresh-token families, revocations (owner: tokens). */
import { PostgresAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Epoch milliseconds overflow a 32-bit integer.
  const epochMs = 'bigint';

  await db.schema
    .createTable('clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('secret_hash', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('token_endpoint_auth_method', 'text', (c) => c.notNull())
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('audiences', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('jwks', 'text')
    .addColumn('access_token_ttl', 'integer')
    .addColumn('first_party', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', epochMs, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', epochMs, (c) => c.notNull())
    .addColumn('activated_at', epochMs)
    .addColumn('retired_at', epochMs)
    .addColumn('remove_after', epochMs)
    .execute();

  await db.schema
    .createTable('authorization_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('code_challenge_method', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text')
    .addColumn('resource', 'text')
    .addColumn('auth_time', 'integer', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('expires_at', epochMs, (c) => c.notNull())
    .addColumn('consumed_at', epochMs)
    .addColumn('created_at', epochMs, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('authorization_codes_expires')
    .on('authorization_codes')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('token_families')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('session_id', 'text')
    .addColumn('code_hash', 'text')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('resource', 'text')
    .addColumn('auth_time', 'integer')
    .addColumn('created_at', epochMs, (c) => c.notNull())
    .addColumn('absolute_expires_at', epochMs, (c) => c.notNull())
    .addColumn('revoked_at', epochMs)
    .addColumn('revoked_reason', 'text')
    .execute();
  await db.schema.createIndex('token_families_user').on('token_families').column('user_id').execute();
  await db.schema.createIndex('token_families_session').on('token_families').column('session_id').execute();
  await db.schema.createIndex('token_families_code').on('token_families').column('code_hash').execute();
  await db.schema
    .createIndex('token_families_expires')
    .on('token_families')
    .column('absolute_expires_at')
    .execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('parent_hash', 'text')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', epochMs, (c) => c.notNull())
    .addColumn('expires_at', epochMs, (c) => c.notNull())
    .addColumn('rotated_at', epochMs)
    .addColumn('rotation_result', 'text')
    .execute();
  await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
  await db.schema.createIndex('refresh_tokens_expires').on('refresh_tokens').column('expires_at').execute();

  await db.schema
    .createTable('family_access_tokens')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', epochMs, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('family_access_tokens_family')
    .on('family_access_tokens')
    .column('family_id')
    .execute();

  await (
    postgres
      ? db.schema.createTable('revocations').addColumn('id', 'bigserial', (c) => c.primaryKey())
      : db.schema.createTable('revocations').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expires_at', epochMs, (c) => c.notNull())
    .addColumn('created_at', epochMs, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('revocations_expires').on('revocations').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'revocations',
    'family_access_tokens',
    'refresh_tokens',
    'token_families',
    'authorization_codes',
    'signing_keys',
    'clients',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
