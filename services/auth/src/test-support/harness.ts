/** Test harness of the token side: both database backends, an auth instance, clients and users. */
import { databaseBackends } from '../../../../test/support/database-backends.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { StoredAuditEvent } from '@rampart/chassis';
import type { SharedState } from '@rampart/store';
import { buildAuth, type AuthService } from '../app.js';
import { createClient, type CreateClientInput } from '../clients/create-client.js';
import type { UserRecord, UserStore } from '../users/user-store.js';

export interface LogCapture {
  write(chunk: string): void;
  lines(): Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const raw: string[] = [];
  return {
    write: (chunk) => void raw.push(chunk),
    lines: () =>
      raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export type { DatabaseBackend as Backend } from '../../../../test/support/database-backends.js';

/** Call once per test file: PostgreSQL schemas made through it are dropped after the file. */
export function backends(prefix: string) {
  return databaseBackends(prefix);
}

export const TEST_MASTER_KEY = randomBytes(32).toString('base64url');

export interface TestAuth {
  app: AuthService;
  logs: LogCapture;
  users: MemoryUsers;
  /** Audit events written so far (the chassis outbox). */
  audits(): Promise<StoredAuditEvent[]>;
}

export class MemoryUsers implements UserStore {
  readonly users = new Map<string, UserRecord>();
  add(user: Partial<UserRecord> & { id: string }): UserRecord {
    const record = { username: user.id, roles: [], disabled: false, ...user };
    this.users.set(user.id, record);
    return record;
  }
  async findById(id: string): Promise<UserRecord | undefined> {
    return this.users.get(id);
  }
}

const started: AuthService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.close()));
});

/** Builds an auth instance on `databaseUrl` (closed after the test). */
export async function startAuth(
  databaseUrl: string,
  options: {
    env?: Record<string, string>;
    sharedState?: SharedState;
    users?: MemoryUsers;
    dataDir?: string;
  } = {},
): Promise<TestAuth> {
  const logs = captureLogs();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'rampart-auth-data-'));
  const app = await buildAuth({
    env: {
      PORT: '0',
      RAMPART_AUTH_DATA_DIR: dataDir,
      RAMPART_AUTH_DATABASE_URL: databaseUrl,
      RAMPART_AUTH_MASTER_KEY: TEST_MASTER_KEY,
      RAMPART_AUTH_BOOTSTRAP_ADMIN: 'false',
      RAMPART_AUTH_ISSUER: 'http://auth.test',
      ...options.env,
    },
    argv: [],
    logDestination: logs,
    ...(options.sharedState ? { sharedState: options.sharedState } : {}),
  });
  started.push(app);
  const users = options.users ?? new MemoryUsers();
  app.authContext.users = users;
  return {
    app,
    logs,
    users,
    audits: () => app.audit.pending(),
  };
}

export async function addClient(app: AuthService, input: Partial<CreateClientInput> & { clientId: string }) {
  return createClient(app.authContext.db, {
    type: 'confidential',
    grantTypes: ['client_credentials'],
    ...input,
  });
}

export function basic(id: string, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

/** A form-encoded POST through `app.inject`. */
export function form(
  app: AuthService,
  url: string,
  body: Record<string, string | string[]> | string,
  headers: Record<string, string> = {},
) {
  const payload =
    typeof body === 'string'
      ? body
      : Object.entries(body)
          .flatMap(([k, v]) =>
            (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`),
          )
          .join('&');
  return app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** A PKCE pair (RFC 7636 §4.1–4.2, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const REDIRECT = 'https://app.test/callback';

/** A confidential client for user grants, a user, and a fresh code for them. */
export async function userGrantSetup(auth: TestAuth, clientId = 'web') {
  const { secret } = await addClient(auth.app, {
    clientId,
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT],
    audiences: ['https://api.test/orders'],
  });
  const user =
    auth.users.users.get('alice') ??
    auth.users.add({ id: 'alice', roles: ['customer'], email: 'alice@example.test' });
  return { secret: secret!, user, authorization: basic(clientId, secret!) };
}

export async function newCode(
  auth: TestAuth,
  input: { clientId?: string; scope?: string; nonce?: string; sessionId?: string; resource?: string[] } = {},
) {
  const { verifier, challenge } = pkce();
  const code = await auth.app.authContext.createAuthorizationCode({
    clientId: input.clientId ?? 'web',
    userId: 'alice',
    redirectUri: REDIRECT,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    scope: input.scope ?? 'openid profile orders:read',
    nonce: input.nonce ?? 'n-0S6_WzA2Mj',
    resource: input.resource,
    authTime: Math.floor(Date.now() / 1000) - 5,
    sessionId: input.sessionId ?? 'session-1',
  });
  return { code, verifier };
}
