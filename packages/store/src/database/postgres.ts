import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { StoreError } from '../errors.js';
import type { PostgresConfig } from './url.js';

export interface PostgresOptions {
  max?: number | undefined;
  onError: (error: Error) => void;
}

/**
 * Opens a pg pool whose every connection works inside the service's own schema, creating the
 * schema if needed. One PostgreSQL database can so hold every service's tables without clashes.
 */
export async function openPostgres<DB>(
  config: PostgresConfig,
  options: PostgresOptions,
): Promise<Kysely<DB>> {
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: options.max ?? 10,
    // Bound the wait for a host that drops packets; the OS default can be minutes.
    connectionTimeoutMillis: 5000,
    // The schema name is validated (/^[a-z][a-z0-9_]*$/), quoted for reserved words like "user".
    options: `-c search_path="${config.schema}"`,
  });
  // An idle client that loses its server emits on the pool; without a listener that crashes the
  // process. The pool drops the client and the next query opens a new one.
  pool.on('error', options.onError);

  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError(
      'STORE_ERR_UNREACHABLE',
      `cannot connect to PostgreSQL at ${config.address}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`);
  } catch (error) {
    // Two instances starting together can both miss the schema and race to create it.
    if ((error as { code?: string }).code !== '23505') {
      client.release();
      await pool.end().catch(() => undefined);
      throw error;
    }
  }
  client.release();
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
