import path from 'node:path';
import { StoreError } from '../errors.js';
import { maskUrl } from '../mask-url.js';

/** Service and schema names: safe PostgreSQL identifiers (still quoted in SQL, for words like `user`). */
const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const SYNCHRONOUS = ['full', 'normal', 'extra'] as const;
type Synchronous = (typeof SYNCHRONOUS)[number];

const EXPECTED = "expected 'sqlite:PATH', 'sqlite::memory:', 'postgres://…' or 'postgresql://…'";

export interface SqliteConfig {
  dialect: 'sqlite';
  /** Absolute file path, or `:memory:`. */
  path: string;
  synchronous: Synchronous;
}

export interface PostgresConfig {
  dialect: 'postgres';
  /** The URL handed to pg, without our own `schema` parameter. */
  connectionString: string;
  schema: string;
  /** `host:port`, for error messages. */
  address: string;
}

export type DatabaseConfig = SqliteConfig | PostgresConfig;

function badUrl(url: string, why: string): StoreError {
  return new StoreError('STORE_ERR_BAD_URL', `invalid database url "${maskUrl(url)}": ${why}`);
}

/** Checks a service (or schema) name the way PostgreSQL will use it: as a schema name. */
export function assertSchemaName(name: string, what: string, url: string): void {
  if (!SCHEMA_NAME.test(name)) {
    throw badUrl(url, `invalid ${what} "${name}": expected /^[a-z][a-z0-9_]{0,62}$/`);
  }
}

/**
 * Parses a database URL into what the dialect needs. Fails fast, naming the bad value (password
 * masked) and what was expected.
 */
export function parseDatabaseUrl(url: string, service: string): DatabaseConfig {
  if (!SCHEMA_NAME.test(service)) {
    throw new StoreError(
      'STORE_ERR_BAD_URL',
      `invalid service "${service}": expected /^[a-z][a-z0-9_]{0,62}$/ (it names the PostgreSQL schema)`,
    );
  }
  if (url.startsWith('sqlite:')) return parseSqlite(url);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return parsePostgres(url, service);
  throw badUrl(url, EXPECTED);
}

function parseSqlite(url: string): SqliteConfig {
  const rest = url.slice('sqlite:'.length);
  const queryAt = rest.indexOf('?');
  // `sqlite:///abs/file.db` is accepted as a spelling of `sqlite:/abs/file.db`.
  const file = (queryAt === -1 ? rest : rest.slice(0, queryAt)).replace(/^\/\//, '');
  const params = new URLSearchParams(queryAt === -1 ? '' : rest.slice(queryAt + 1));
  if (file === '') throw badUrl(url, `missing file path; ${EXPECTED}`);

  let synchronous: Synchronous = 'full';
  for (const [key, value] of params) {
    if (key !== 'synchronous') throw badUrl(url, `unknown parameter "${key}"; expected only "synchronous"`);
    const wanted = value.toLowerCase();
    if (!(SYNCHRONOUS as readonly string[]).includes(wanted)) {
      throw badUrl(url, `invalid synchronous "${value}": expected one of ${SYNCHRONOUS.join(', ')}`);
    }
    synchronous = wanted as Synchronous;
  }
  return {
    dialect: 'sqlite',
    path: file === ':memory:' ? file : path.resolve(process.cwd(), file),
    synchronous,
  };
}

function parsePostgres(url: string, service: string): PostgresConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUrl(url, `not a URL; ${EXPECTED}`);
  }
  if (parsed.hostname === '') throw badUrl(url, 'missing host; expected postgres://user@host:port/database');
  // pg lets URL parameters override explicit options, so an `options` parameter would silently
  // replace the search_path that isolates this service.
  if (parsed.searchParams.has('options')) {
    throw badUrl(url, 'unsupported parameter "options"; expected "schema=NAME" to choose the schema');
  }
  const schema = parsed.searchParams.get('schema') ?? service;
  assertSchemaName(schema, 'schema', url);
  parsed.searchParams.delete('schema');
  return {
    dialect: 'postgres',
    connectionString: parsed.toString(),
    schema,
    address: `${parsed.hostname}:${parsed.port || '5432'}`,
  };
}
