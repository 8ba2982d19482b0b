import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Benchmark, BenchServer, Candidate } from '../lib/benchmark.js';
import type { LoadRequest } from '../lib/measure.js';
import { benchOptions } from '../lib/options.js';
import { serverScript, tempDir } from '../lib/paths.js';
import { postgresSchema } from '../lib/postgres.js';
import { TokenPool } from '../lib/token-pool.js';

// Issue 3: client-credentials issuance (POST /oauth2/token, client_secret_basic, ES256 JWT access
// token, audit recorded) against oidc-provider; then refresh rotation and introspection, which
// have no baseline but each other.
const OIDC = 'oidc-provider 9, client_credentials';
const RAMPART = 'Rampart, client_credentials (SQLite)';
const REFRESH_SQLITE = 'Rampart, refresh rotation (SQLite)';
const REFRESH_PG = 'Rampart, refresh rotation (PostgreSQL)';
const INTROSPECT = 'Rampart, introspection (SQLite)';

const secret = randomBytes(32).toString('base64url');
const basic = (id: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const dir = tempDir('auth');
const postgres = await postgresSchema();

// Each run loses the tokens of the requests in flight when it stops (one per connection).
const { connections = 50, rounds } = benchOptions();
const refreshTokens = connections * (rounds + 3);

function rampart(name: string, extra: NodeJS.ProcessEnv = {}): BenchServer {
  mkdirSync(join(dir, name));
  const databaseUrl = extra.DATABASE_URL ?? `sqlite:${join(dir, name, 'auth.db')}`;
  return {
    script: serverScript('rampart-auth.js'),
    startupTimeoutMs: 120_000,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RAMPART_AUTH_DATA_DIR: join(dir, name),
      DATABASE_URL: databaseUrl,
      RAMPART_AUTH_DATABASE_URL: databaseUrl,
      RAMPART_AUTH_MASTER_KEY: randomBytes(32).toString('base64url'),
      RAMPART_AUTH_BOOTSTRAP_ADMIN: 'false',
      RAMPART_AUTH_SHUTDOWN_DRAIN_DELAY_MS: '0',
      BENCH_CLIENT_SECRET: secret,
      ...extra,
    },
  };
}

/** The refresh servers own their families through the bootstrap admin user. */
const refreshEnv = (databaseUrl?: string): NodeJS.ProcessEnv => ({
  RAMPART_AUTH_BOOTSTRAP_ADMIN: 'true',
  RAMPART_ADMIN_PASSWORD: randomBytes(16).toString('base64url'),
  BENCH_REFRESH_TOKENS: String(refreshTokens),
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});

const clientCredentials: LoadRequest = {
  method: 'POST',
  path: '/oauth2/token',
  headers: { ...form, authorization: basic('bench') },
  body: 'grant_type=client_credentials&scope=bench',
};

/** Rotation: every request spends one refresh token and keeps the one it gets back. */
function refreshCandidate(label: string, server: string): Candidate {
  let pool: TokenPool | undefined;
  return {
    label,
    server,
    request: (started) => {
      pool ??= new TokenPool(started[server]!.info.refreshTokens as string[]);
      const tokens = pool;
      return {
        method: 'POST',
        path: '/oauth2/token',
        headers: { ...form, authorization: basic('bench-rt') },
        nextBody: () => `grant_type=refresh_token&refresh_token=${tokens.take() ?? 'pool-exhausted'}`,
        onResponse: (status, body) => tokens.returnFrom(status, body),
      };
    },
  };
}

const introspection: Candidate = {
  label: INTROSPECT,
  server: 'rampart',
  request: async (started) => {
    const response = await fetch(new URL('/oauth2/token', started.rampart!.url), {
      method: 'POST',
      headers: clientCredentials.headers!,
      body: clientCredentials.body!,
    });
    const { access_token: token } = (await response.json()) as { access_token: string };
    return {
      method: 'POST',
      path: '/oauth2/introspect',
      headers: { ...form, authorization: basic('bench') },
      body: `token=${token}`,
    };
  },
};

const authToken: Benchmark = {
  name: 'auth-token',
  description:
    'POST /oauth2/token with grant_type=client_credentials and client_secret_basic, answered with an ' +
    'ES256-signed JWT access token: Rampart (SQLite, audit recorded) versus oidc-provider 9 (in-memory ' +
    'adapter, JWT access tokens through a default resource), each in its own process, same run. Then ' +
    'Rampart alone: refresh-token rotation (a new refresh token on every use) on SQLite and PostgreSQL, ' +
    'and introspection (RFC 7662) of a client-credentials token.',
  servers: {
    oidc: {
      script: serverScript('oidc-provider.js'),
      env: { BENCH_CLIENT_SECRET: secret },
    },
    rampart: rampart('cc'),
    refreshSqlite: rampart('refresh-sqlite', refreshEnv()),
    ...(postgres ? { refreshPostgres: rampart('refresh-postgres', refreshEnv(postgres.url)) } : {}),
  },
  candidates: [
    { label: OIDC, server: 'oidc', request: clientCredentials },
    { label: RAMPART, server: 'rampart', request: clientCredentials },
    refreshCandidate(REFRESH_SQLITE, 'refreshSqlite'),
    ...(postgres ? [refreshCandidate(REFRESH_PG, 'refreshPostgres')] : []),
    introspection,
  ],
  reference: OIDC,
  ratios: [{ candidate: RAMPART, baseline: OIDC, minRatio: 2 }],
  teardown: async () => {
    await rm(dir, { recursive: true, force: true });
    await postgres?.drop();
  },
};

export default authToken;
