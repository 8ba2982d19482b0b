import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { openSharedState } from '@rampart/store';
import {
  adminToken,
  backends,
  bearer,
  onCleanup,
  serviceToken,
  startConfigServer,
  startIssuer,
} from './test-support/harness.js';

const redisUrl = inject('redisUrl');

describe.each(backends('poll'))('long polling on $name', (backend) => {
  describe.skipIf(backend.skip)('', () => {
    it('answers a waiting reader as soon as a newer version is written, and 304 when none comes', async () => {
      const issuer = await startIssuer();
      const { app } = await startConfigServer(issuer, backend.url(), {
        env: { RAMPART_CONFIG_LONG_POLL_SECONDS: '0.3' },
      });
      const admin = bearer(await adminToken(issuer));
      const orders = bearer(await serviceToken(issuer, 'orders'));
      await app.inject({
        method: 'PATCH',
        url: '/v1/admin/config/orders',
        headers: admin,
        payload: { set: { a: 1 }, expectedVersion: 0 },
      });

      const immediate = await app.inject({ url: '/v1/config/orders/default?after=0', headers: orders });
      expect(immediate.json()).toMatchObject({ version: 1 });
      const timedOut = await app.inject({ url: '/v1/config/orders/default?after=1', headers: orders });
      expect(timedOut.statusCode).toBe(304);
      expect(timedOut.headers.etag).toBe('"1"');

      const waiting = app.inject({ url: '/v1/config/orders/default?after=1', headers: { ...orders } });
      // Another application's change does not answer it; a shared-layer change does.
      await app.inject({
        method: 'PATCH',
        url: '/v1/admin/config/accounts',
        headers: admin,
        payload: { set: { b: 1 }, expectedVersion: 0 },
      });
      await app.inject({
        method: 'PATCH',
        url: '/v1/admin/config/application',
        headers: admin,
        payload: { set: { c: 3 }, expectedVersion: 0 },
      });
      const answered = await waiting;
      expect(answered.statusCode).toBe(200);
      expect(answered.json()).toMatchObject({ version: 3, values: { a: 1, c: 3 } });
    });
  });
});

describe.skipIf(!redisUrl || backends('redis')[1]!.skip)(
  'two config-server instances on PostgreSQL + Redis',
  () => {
    it('notify a watcher on one instance of a write through the other', async () => {
      const [, postgres] = backends('redis');
      const issuer = await startIssuer();
      const url = postgres!.url();
      const prefix = `config-test-${randomBytes(4).toString('hex')}`;
      const sharedA = await openSharedState({ url: redisUrl!, prefix });
      const sharedB = await openSharedState({ url: redisUrl!, prefix });
      onCleanup(() => sharedA.close());
      onCleanup(() => sharedB.close());
      const a = await startConfigServer(issuer, url, { sharedState: sharedA });
      const b = await startConfigServer(issuer, url, { sharedState: sharedB });
      const admin = bearer(await adminToken(issuer));
      const orders = bearer(await serviceToken(issuer, 'orders'));

      const waiting = b.app.inject({ url: '/v1/config/orders/default?after=0', headers: orders });
      // Let the poll reach its wait before the write.
      while (b.app.changeBus.waiting === 0) await new Promise((r) => setTimeout(r, 10));
      const write = await a.app.inject({
        method: 'PATCH',
        url: '/v1/admin/config/orders',
        headers: admin,
        payload: { set: { a: 1 }, expectedVersion: 0 },
      });
      expect(write.statusCode).toBe(200);
      const answered = await waiting;
      expect(answered.statusCode).toBe(200);
      expect(answered.json()).toMatchObject({ version: 1, values: { a: 1 } });
    });
  },
);
