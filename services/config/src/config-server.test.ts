import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  adminToken,
  backends,
  bearer,
  serviceToken,
  startConfigServer,
  startIssuer,
} from './test-support/harness.js';

const ordersSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    logLevel: { type: 'string', enum: ['info', 'debug', 'warn'] },
    maxItems: { type: 'integer', minimum: 1 },
    region: { type: 'string' },
    db: {
      type: 'object',
      additionalProperties: false,
      properties: { host: { type: 'string' }, password: { type: 'string', minLength: 4 } },
    },
  },
  required: ['port'],
};

describe.each(backends('server'))('config server on $name', (backend) => {
  describe.skipIf(backend.skip)('', () => {
    async function setup() {
      const issuer = await startIssuer();
      const server = await startConfigServer(issuer, backend.url());
      const admin = bearer(await adminToken(issuer));
      const orders = bearer(await serviceToken(issuer, 'orders'));
      const { app } = server;
      const patch = (path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
        app.inject({
          method: 'PATCH',
          url: `/v1/admin/config/${path}`,
          headers: { ...admin, ...headers },
          payload: body,
        });
      const get = (url: string, headers?: Record<string, string>) =>
        app.inject({ url, headers: headers ?? admin });
      return { issuer, server, app, admin, orders, patch, get };
    }

    it('layers application < app < app-profile and versions every change', async () => {
      const { orders, patch, get } = await setup();
      expect(
        (await patch('application', { set: { region: 'eu', maxItems: 5 }, expectedVersion: 0 })).statusCode,
      ).toBe(200);
      expect(
        (await patch('orders', { set: { maxItems: 10, 'db.host': 'db1' }, expectedVersion: 0 })).statusCode,
      ).toBe(200);
      const third = await patch(
        'orders/production',
        { set: { 'db.host': 'db-prod' }, message: 'prod db' },
        { 'if-match': '"0"' },
      );
      expect(third.json()).toMatchObject({
        version: 3,
        app: 'orders',
        profile: 'production',
        author: 'admin-1',
        message: 'prod db',
      });
      expect(third.headers.etag).toBe('"3"');

      const read = await get('/v1/config/orders/production', orders);
      expect(read.statusCode).toBe(200);
      expect(read.headers['cache-control']).toBe('no-store');
      expect(read.json()).toMatchObject({
        app: 'orders',
        profile: 'production',
        version: 3,
        values: { region: 'eu', maxItems: 10, db: { host: 'db-prod' } },
      });
      expect(read.headers.etag).toBe('"3"');
      expect((await get('/v1/config/orders/staging', orders)).json()).toMatchObject({
        version: 2,
        values: { db: { host: 'db1' } },
      });
      expect(
        (await get('/v1/config/orders/production', { ...orders, 'if-none-match': '"3"' })).statusCode,
      ).toBe(304);

      // A change to the shared layer is a new version of every application's configuration.
      await patch('application', { set: { region: 'us' }, expectedVersion: 1 });
      expect(
        (await get('/v1/config/orders/production', { ...orders, 'if-none-match': '"3"' })).json(),
      ).toMatchObject({
        version: 4,
        values: { region: 'us' },
      });
      const history = (await get('/v1/admin/history/application')).json();
      expect(history.versions.map((v: { version: number }) => v.version)).toEqual([4, 1]);
      expect(history.versions[0].diff).toEqual([{ key: 'region', op: 'changed', from: 'eu', to: 'us' }]);
      expect((await get('/v1/admin/history')).json().versions).toHaveLength(4);
    });

    it('rolls back to any version as a new version, and diffs versions', async () => {
      const { patch, get, app, admin, orders } = await setup();
      await patch('orders', { set: { maxItems: 1 }, expectedVersion: 0 });
      await patch('orders', { set: { maxItems: 2, region: 'eu' }, expectedVersion: 1 });
      await patch('orders', { unset: ['region'], set: { maxItems: 3 }, expectedVersion: 2 });
      const diff = (await get('/v1/admin/diff?from=1&to=3')).json();
      expect(diff.changes).toEqual([{ key: 'maxItems', op: 'changed', from: 1, to: 3 }]);

      const stale = await app.inject({
        method: 'POST',
        url: '/v1/admin/rollback',
        headers: admin,
        payload: { version: 2, expectedVersion: 2 },
      });
      expect(stale.statusCode).toBe(409);
      const rollback = await app.inject({
        method: 'POST',
        url: '/v1/admin/rollback',
        headers: admin,
        payload: { version: 2, expectedVersion: 3 },
      });
      expect(rollback.statusCode).toBe(200);
      expect(rollback.json()).toMatchObject({ version: 4, kind: 'rollback', restores: 2 });
      expect((await get('/v1/config/orders/default', orders)).json()).toMatchObject({
        version: 4,
        values: { maxItems: 2, region: 'eu' },
      });
      const missing = await app.inject({
        method: 'POST',
        url: '/v1/admin/rollback',
        headers: admin,
        payload: { version: 99, expectedVersion: 4 },
      });
      expect(missing.statusCode).toBe(404);
    });

    it('refuses writes without an expected version, and stale writes, storing nothing', async () => {
      const { patch, get } = await setup();
      expect((await patch('orders', { set: { maxItems: 1 } })).statusCode).toBe(428);
      await patch('orders', { set: { maxItems: 1 }, expectedVersion: 0 });
      const stale = await patch('orders', { set: { maxItems: 2 }, expectedVersion: 0 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ currentVersion: 1 });
      expect((await get('/v1/admin/history')).json().versions).toHaveLength(1);
    });

    it('lets exactly one of two concurrent writers with the same expected version win', async () => {
      const { patch, get } = await setup();
      await patch('orders', { set: { maxItems: 1 }, expectedVersion: 0 });
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          patch('orders', { set: { maxItems: 10 + i }, expectedVersion: 1 }),
        ),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
      const winner = results.find((r) => r.statusCode === 200)!.json().diff[0].to as number;
      const current = (await get('/v1/admin/config/orders')).json();
      expect(current).toMatchObject({ version: 2, values: { maxItems: winner } });
      expect((await get('/v1/admin/history')).json().versions).toHaveLength(2);
    });

    it('validates writes against the registered schema, after layering, and stores nothing when invalid', async () => {
      const { patch, get, app, orders, admin } = await setup();
      const registered = await app.inject({
        method: 'PUT',
        url: '/v1/schemas/orders',
        headers: orders,
        payload: ordersSchema,
      });
      expect(registered.statusCode).toBe(204);
      // The shared layer may carry keys other applications use; orders ignores them.
      expect(
        (await patch('application', { set: { otherService: { x: 1 }, maxItems: 3 }, expectedVersion: 0 }))
          .statusCode,
      ).toBe(200);
      const typo = await patch('orders', { set: { maxItem: 5, logLevel: 'loud' }, expectedVersion: 0 });
      expect(typo.statusCode).toBe(422);
      expect(typo.json().errors).toEqual([
        { app: 'orders', profile: '', path: '/logLevel', message: 'expected one of "info", "debug", "warn"' },
        { app: 'orders', profile: '', path: '/maxItem', message: 'unknown key (is it misspelt?)' },
      ]);
      // A profile layer is validated together with the layers below it.
      await patch('orders/production', { set: { region: 'eu' }, expectedVersion: 0 });
      const shared = await patch('application', { set: { maxItems: 0 }, expectedVersion: 1 });
      expect(shared.statusCode).toBe(422);
      expect(
        shared
          .json()
          .errors.map((e: { profile: string }) => e.profile)
          .sort(),
      ).toEqual(['', 'production']);
      const shortSecret = await patch('orders', { secrets: { 'db.password': 'Zq9' }, expectedVersion: 0 });
      expect(shortSecret.statusCode).toBe(422);
      expect(JSON.stringify(shortSecret.json())).not.toContain('Zq9');
      expect(
        (await get('/v1/admin/history')).json().versions.map((v: { version: number }) => v.version),
      ).toEqual([2, 1]);
      expect((await get('/v1/admin/schemas/orders', admin)).json()).toMatchObject({ type: 'object' });
    });

    it('keeps an application from reading another application’s configuration, and audits the denial', async () => {
      const { issuer, patch, get, app } = await setup();
      await patch('orders', { set: { maxItems: 1 }, expectedVersion: 0 });
      const accounts = bearer(await serviceToken(issuer, 'accounts'));
      const denied = await get('/v1/config/orders/default', accounts);
      expect(denied.statusCode).toBe(403);
      expect(denied.headers['content-type']).toMatch(/application\/problem\+json/);
      const noScope = await get(
        '/v1/config/orders/default',
        bearer(await serviceToken(issuer, 'orders', 'other')),
      );
      expect(noScope.statusCode).toBe(403);
      expect((await get('/v1/config/orders/default', {})).statusCode).toBe(401);
      // Users, even admins, read through the admin API (secrets masked), not the service read.
      expect((await get('/v1/config/orders/default')).statusCode).toBe(403);
      expect((await get('/v1/admin/config/orders', accounts)).statusCode).toBe(403);
      const audit = await app.audit.pending();
      expect(audit.find((e) => e.action === 'config.read')).toMatchObject({
        outcome: 'denied',
        resource: 'config:orders/default',
        actor: { sub: 'accounts' },
      });
    });

    it('lets clients bound by `readers` read other applications', async () => {
      const issuer = await startIssuer();
      const { app } = await startConfigServer(issuer, backend.url(), {
        env: { RAMPART_CONFIG_READERS: JSON.stringify({ ops: ['orders'] }) },
      });
      const ops = bearer(await serviceToken(issuer, 'ops'));
      expect((await app.inject({ url: '/v1/config/orders/default', headers: ops })).statusCode).toBe(200);
      expect((await app.inject({ url: '/v1/config/accounts/default', headers: ops })).statusCode).toBe(403);
    });

    it('answers 400 to traversal attempts in path parameters', async () => {
      const issuer = await startIssuer();
      const { app } = await startConfigServer(issuer, backend.url(), { listen: true });
      const { port } = app.server.address() as AddressInfo;
      const token = await serviceToken(issuer, 'orders');
      const admin = await adminToken(issuer);
      // Raw paths over a real socket: URL parsers (fetch, inject) would resolve `..` and `%2e%2e` first.
      const status = (path: string) =>
        new Promise<number>((resolve, reject) => {
          http
            .get(
              {
                host: '127.0.0.1',
                port,
                path,
                headers: bearer(path.startsWith('/v1/admin') ? admin : token),
              },
              (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
              },
            )
            .on('error', reject);
        });
      for (const path of [
        '/v1/config/..%2F..%2Fetc/default',
        '/v1/config/orders/..%2fx',
        '/v1/config/%2e%2e/default',
        '/v1/config/orders/../accounts/default',
        '/v1/config/orders/..',
        '/v1/config/Orders/default',
        '/v1/config/orders%00/default',
        '/v1/config/orders/a%5C..%5Cb',
        '/v1/admin/history/orders/..%2F',
      ])
        expect([path, await status(path)]).toEqual([path, 400]);
      expect(await status('/v1/config/orders/default')).toBe(200);
    });
  });
});
