/** The chassis config client against the real config server: start, watch, outage, restart from cache. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createService,
  Type,
  withConfigServerKeys,
  type RemoteConfigHandle,
  type Service,
} from '@rampart/chassis';
import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../../packages/chassis/src/test-support/log-capture.js';
import type { FakeIssuer } from '../../../packages/chassis/src/security/test-support/fake-issuer.js';
import {
  adminToken,
  backends,
  bearer,
  onCleanup,
  startConfigServer,
  startIssuer,
} from './test-support/harness.js';

const ordersSchema = withConfigServerKeys(
  Type.Object({
    greeting: Type.String({ default: 'hello', dynamic: true }),
    dbPassword: Type.Optional(Type.String({ secret: true })),
  }),
);

/** An `orders` service pointed at the config server (createService fetches, layers, watches). */
async function startOrders(issuer: FakeIssuer, configUrl: string, dataDir: string) {
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    RAMPART_DATA_DIR: dataDir,
    RAMPART_CONFIG_SERVER_URL: configUrl,
    RAMPART_ORDERS_SECURITY_ISSUER: issuer.issuer,
    RAMPART_ORDERS_SECURITY_CLIENT_SECRET: 'orders-secret',
    RAMPART_ORDERS_SECURITY_REVOCATION_FEED: 'false',
    RAMPART_ORDERS_SHUTDOWN_DRAIN_DELAY_MS: '0',
  };
  const logs = captureLogs();
  const app = await createService({
    name: 'orders',
    config: ordersSchema,
    security: {},
    env,
    argv: [],
    logDestination: logs,
    remoteConfig: { backoff: { initialMs: 20, maxMs: 100 } },
  });
  onCleanup(() => app.close());
  const handle = app.remoteConfig as RemoteConfigHandle;
  app.get('/greeting', { config: { public: true } }, async () => ({ greeting: handle.current().greeting }));
  await app.start({ handleSignals: false });
  return { app: app as Service, handle, logs };
}

describe.each(backends('e2e'))('a chassis service pulling from the config server on $name', (backend) => {
  describe.skipIf(backend.skip)('', () => {
    it('gets dynamic changes through the long poll, survives the server going away, and restarts from the cache', async () => {
      const issuer = await startIssuer();
      const server = await startConfigServer(issuer, backend.url(), { listen: true });
      const configUrl = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
      const admin = bearer(await adminToken(issuer));
      const write = (payload: Record<string, unknown>) =>
        server.app.inject({ method: 'PATCH', url: '/v1/admin/config/orders', headers: admin, payload });
      expect(
        (await write({ set: { greeting: 'hi' }, secrets: { dbPassword: 'pw-1-secret' }, expectedVersion: 0 }))
          .statusCode,
      ).toBe(200);

      const dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-orders-'));
      const orders = await startOrders(issuer, configUrl, dataDir);
      expect(orders.app.config).toMatchObject({ greeting: 'hi', dbPassword: 'pw-1-secret' });
      // The service registered its schema: a write it could not run with is refused.
      const invalid = await write({ set: { greeting: { nested: true } }, expectedVersion: 1 });
      expect(invalid.statusCode).toBe(422);

      const changed = new Promise((resolve) => orders.handle.onChange(resolve));
      await write({ set: { greeting: 'howdy' }, expectedVersion: 1 });
      expect(await changed).toMatchObject({ version: 2, applied: ['greeting'] });
      expect((await orders.app.inject({ url: '/greeting' })).json()).toEqual({ greeting: 'howdy' });

      // The config server goes away: the service keeps serving and says so in health.
      await server.app.close();
      while (!orders.logs.raw.join('').includes('config server watch failed'))
        await new Promise((r) => setTimeout(r, 10));
      expect((await orders.app.inject({ url: '/greeting' })).json()).toEqual({ greeting: 'howdy' });
      const ready = await orders.app.inject({ url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().checks['config-server:version'][0]).toMatchObject({
        status: 'warn',
        output: 'change watch not connected',
      });
      await orders.app.close();

      // …and restarts from its last-known-good, secrets included.
      const restarted = await startOrders(issuer, configUrl, dataDir);
      expect(restarted.handle.origin).toBe('cache');
      expect(restarted.app.config).toMatchObject({ greeting: 'howdy', dbPassword: 'pw-1-secret' });
      expect((await restarted.app.inject({ url: '/health/ready' })).json().status).toBe('warn');
      for (const text of [orders.logs.raw.join(''), restarted.logs.raw.join(''), server.logs.raw.join('')])
        expect(text).not.toContain('pw-1-secret');
    });
  });
});
