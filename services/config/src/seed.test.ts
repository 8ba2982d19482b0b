import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceOfFile } from './store/seed.js';
import {
  adminToken,
  backends,
  bearer,
  serviceToken,
  startConfigServer,
  startIssuer,
} from './test-support/harness.js';

describe('seed file names', () => {
  it('map to application, base and profile sources', () => {
    expect(sourceOfFile('application.yaml')).toEqual({ app: 'application', profile: '' });
    expect(sourceOfFile('orders.yml')).toEqual({ app: 'orders', profile: '' });
    expect(sourceOfFile('orders-production.yaml')).toEqual({ app: 'orders', profile: 'production' });
    expect(sourceOfFile('README.md')).toBeUndefined();
    expect(sourceOfFile('../x.yaml')).toBeUndefined();
  });
});

describe.each(backends('seed'))('seeding on $name', (backend) => {
  describe.skipIf(backend.skip)('', () => {
    it('loads a directory of YAML files into an empty store, once', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'rampart-seed-'));
      writeFileSync(path.join(dir, 'application.yaml'), 'region: eu\nlimits:\n  max: 5\n');
      writeFileSync(path.join(dir, 'orders.yaml'), 'limits:\n  max: 10\n');
      writeFileSync(path.join(dir, 'orders-production.yaml'), 'region: us\n');
      const issuer = await startIssuer();
      const url = backend.url();
      const env = { RAMPART_CONFIG_SEED_DIR: dir };
      const first = await startConfigServer(issuer, url, { env });
      const orders = bearer(await serviceToken(issuer, 'orders'));
      const read = await first.app.inject({ url: '/v1/config/orders/production', headers: orders });
      expect(read.json()).toMatchObject({ version: 3, values: { region: 'us', limits: { max: 10 } } });
      await first.app.close();

      writeFileSync(path.join(dir, 'orders.yaml'), 'limits:\n  max: 99\n');
      const second = await startConfigServer(issuer, url, { env });
      const history = await second.app.inject({
        url: '/v1/admin/history',
        headers: bearer(await adminToken(issuer)),
      });
      expect(
        history.json().versions.map((v: { author: string; kind: string }) => [v.author, v.kind]),
      ).toEqual([
        ['seed', 'seed'],
        ['seed', 'seed'],
        ['seed', 'seed'],
      ]);
    });
  });
});
