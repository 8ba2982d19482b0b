import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  adminToken,
  backends,
  bearer,
  serviceToken,
  startConfigServer,
  startIssuer,
  TEST_MASTER_KEY,
} from './test-support/harness.js';

const SECRET = 'S3cr3t-Pa55-' + randomBytes(6).toString('hex');
const SECRET_2 = 'N3w-Pa55-' + randomBytes(6).toString('hex');

describe.each(backends('secrets'))('secrets on $name', (backend) => {
  describe.skipIf(backend.skip)('', () => {
    it('are encrypted at rest, decrypted only for a reader, and masked in history, diffs, logs and audit', async () => {
      const issuer = await startIssuer();
      const url = backend.url();
      const { app, logs } = await startConfigServer(issuer, url, {
        env: { RAMPART_CONFIG_LOG_LEVEL: 'debug', RAMPART_CONFIG_ACCESS_LOG: 'true' },
      });
      const admin = bearer(await adminToken(issuer));
      const orders = bearer(await serviceToken(issuer, 'orders'));
      const write = (payload: Record<string, unknown>) =>
        app.inject({ method: 'PATCH', url: '/v1/admin/config/orders', headers: admin, payload });

      const first = await write({
        set: { 'db.host': 'db1' },
        secrets: { 'db.password': SECRET },
        expectedVersion: 0,
      });
      expect(first.statusCode).toBe(200);
      expect(first.json().diff).toContainEqual({ key: 'db.password', op: 'added', to: '****', secret: true });
      const second = await write({ secrets: { 'db.password': SECRET_2 }, expectedVersion: 1 });
      expect(second.json().diff).toEqual([
        { key: 'db.password', op: 'changed', from: '****', to: '****', secret: true },
      ]);

      const read = await app.inject({ url: '/v1/config/orders/default', headers: orders });
      expect(read.json()).toMatchObject({
        values: { db: { host: 'db1', password: SECRET_2 } },
        secrets: ['db.password'],
      });

      const shown = [
        await app.inject({ url: '/v1/admin/config/orders', headers: admin }),
        await app.inject({ url: '/v1/admin/history', headers: admin }),
        await app.inject({ url: '/v1/admin/versions/1', headers: admin }),
        await app.inject({ url: '/v1/admin/diff?from=1&to=2', headers: admin }),
      ];
      expect(shown[0]!.json()).toMatchObject({
        secrets: ['db.password'],
        effective: { values: { db: { password: '****' } } },
      });
      for (const response of shown) {
        expect(response.statusCode).toBe(200);
        expect(response.body).not.toContain(SECRET);
        expect(response.body).not.toContain(SECRET_2);
      }
      const rollback = await app.inject({
        method: 'POST',
        url: '/v1/admin/rollback',
        headers: admin,
        payload: { version: 1, expectedVersion: 2 },
      });
      expect(rollback.statusCode).toBe(200);
      expect(
        (await app.inject({ url: '/v1/config/orders/default', headers: orders })).json().values.db.password,
      ).toBe(SECRET);

      const audit = JSON.stringify(await app.audit.pending());
      expect(audit).toContain('config.write');
      const logText = logs.raw.join('');
      expect(logText).toContain('is now version 2');
      for (const text of [audit, logText]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(SECRET_2);
      }
      const rows = await sql<{ document: string }>`select document from config_versions`.execute(app.db);
      expect(rows.rows).toHaveLength(3);
      for (const row of rows.rows) {
        expect(row.document).not.toContain(SECRET);
        expect(row.document).not.toContain(SECRET_2);
      }
      await app.close();

      // Key rotation: the old key still opens old envelopes; new secrets use the new key.
      const newKey = randomBytes(32).toString('base64url');
      const rotated = await startConfigServer(issuer, url, {
        env: { RAMPART_CONFIG_MASTER_KEY: newKey, RAMPART_CONFIG_PREVIOUS_MASTER_KEYS: TEST_MASTER_KEY },
      });
      const again = await rotated.app.inject({ url: '/v1/config/orders/default', headers: orders });
      expect(again.json().values.db.password).toBe(SECRET);
    });
  });
});

describe('the development master key', () => {
  it('is generated into the data directory with mode 0600 when none is configured', async () => {
    const issuer = await startIssuer();
    const [sqlite] = backends('devkey');
    const { app, dataDir, logs } = await startConfigServer(issuer, sqlite!.url(), {
      env: { RAMPART_CONFIG_MASTER_KEY: undefined },
    });
    expect(app).toBeDefined();
    const file = path.join(dataDir, 'config-master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logs.raw.join('')).toContain('generated a master key');
  });
});
