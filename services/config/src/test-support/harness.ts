/** Test harness: both database backends, a fake issuer, config-server instances and tokens. */
import { databaseBackends } from '../../../../test/support/database-backends.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { SharedState } from '@rampart/store';
import {
  startFakeIssuer,
  type FakeIssuer,
} from '../../../../packages/chassis/src/security/test-support/fake-issuer.js';
import { captureLogs, type LogCapture } from '../../../../packages/chassis/src/test-support/log-capture.js';
import { buildConfigServer, type ConfigServer } from '../app.js';

export type { DatabaseBackend as Backend } from '../../../../test/support/database-backends.js';

/** Call once per test file: PostgreSQL schemas made through it are dropped after the file. */
export function backends(prefix: string) {
  return databaseBackends(prefix);
}

export const TEST_MASTER_KEY = randomBytes(32).toString('base64url');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});
export function onCleanup(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
}

export async function startIssuer(): Promise<FakeIssuer> {
  const issuer = await startFakeIssuer({ audience: 'config' });
  onCleanup(() => issuer.close());
  return issuer;
}

export interface TestServer {
  app: ConfigServer;
  logs: LogCapture;
  dataDir: string;
}

export async function startConfigServer(
  issuer: FakeIssuer,
  databaseUrl: string,
  options: {
    env?: Record<string, string | undefined>;
    sharedState?: SharedState;
    dataDir?: string;
    listen?: boolean;
  } = {},
): Promise<TestServer> {
  const logs = captureLogs();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'rampart-config-data-'));
  const app = await buildConfigServer({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      RAMPART_CONFIG_DATA_DIR: dataDir,
      RAMPART_CONFIG_DATABASE_URL: databaseUrl,
      RAMPART_CONFIG_MASTER_KEY: TEST_MASTER_KEY,
      RAMPART_CONFIG_SECURITY_ISSUER: issuer.issuer,
      RAMPART_CONFIG_SECURITY_REVOCATION_FEED: 'false',
      RAMPART_CONFIG_SHUTDOWN_DRAIN_DELAY_MS: '0',
      ...options.env,
    },
    argv: [],
    logDestination: logs,
    ...(options.sharedState ? { sharedState: options.sharedState } : {}),
  });
  onCleanup(() => app.close());
  if (options.listen) await app.start({ handleSignals: false });
  return { app, logs, dataDir };
}

/** A client-credentials token of application `client` with scope `config:read`. */
export function serviceToken(issuer: FakeIssuer, client: string, scope = 'config:read'): Promise<string> {
  return issuer.sign({ sub: client, client_id: client, scope, aud: 'config', roles: [] });
}

export function adminToken(issuer: FakeIssuer, sub = 'admin-1'): Promise<string> {
  return issuer.sign({ sub, client_id: 'rampart-cli', scope: 'openid', aud: 'config', roles: ['admin'] });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
