import { mkdtempSync, rmSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeIssuer, type FakeIssuer } from '../security/test-support/fake-issuer.js';
import { captureLogs } from '../test-support/log-capture.js';
import { ensureDevPki, loadTlsMaterial } from '../tls/index.js';
import { createService, type Service } from './create-service.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function securedService(issuer: FakeIssuer, env: Record<string, string> = {}): Promise<Service> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-secured-'));
  const app = await createService({
    name: 'orders',
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      RAMPART_DATA_DIR: dir,
      RAMPART_ORDERS_SECURITY_ISSUER: issuer.issuer,
      RAMPART_ORDERS_SECURITY_REVOCATION_FEED: 'false',
      ...env,
    },
    argv: [],
    logDestination: captureLogs(),
    database: { migrations: {} },
    security: { permissions: { customer: ['orders:create'] } },
  });
  app.post('/orders', { config: { auth: { permissions: ['orders:create'] } } }, async (request) => {
    await app.acl.grant('order:1', request.principal!.sub, 'owner');
    return { owner: request.principal!.sub };
  });
  app.get('/orders/1', { config: { auth: {} } }, async (request) => ({
    mayRead: await app.acl.check(request.principal, 'read', 'order:1'),
  }));
  app.get('/undeclared', async () => ({ leaked: true }));
  cleanups.push(() => app.close());
  return app;
}

describe('createService({ security, database })', () => {
  it('is a deny-by-default resource server with ACLs in its own database', async () => {
    const issuer = await startFakeIssuer({ audience: 'orders' });
    cleanups.push(() => issuer.close());
    const app = await securedService(issuer);
    const alice = await issuer.sign({ sub: 'alice', client_id: 'web', roles: ['customer'], aud: 'orders' });
    const bob = await issuer.sign({ sub: 'bob', client_id: 'web', roles: ['guest'], aud: 'orders' });
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });

    expect((await app.inject({ url: '/undeclared' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/undeclared', headers: auth(alice) })).statusCode).toBe(403);

    const created = await app.inject({ method: 'POST', url: '/orders', headers: auth(alice) });
    expect(created.json()).toEqual({ owner: 'alice' });
    const denied = await app.inject({ method: 'POST', url: '/orders', headers: auth(bob) });
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['content-type']).toMatch(/^application\/problem\+json/);

    expect((await app.inject({ url: '/orders/1', headers: auth(alice) })).json()).toEqual({ mayRead: true });
    expect((await app.inject({ url: '/orders/1', headers: auth(bob) })).json()).toEqual({ mayRead: false });

    const audited = await app.audit.pending();
    const denials = audited.filter((e) => e.action === 'access.denied');
    expect(denials.map((e) => [e.actor.sub, e.resource, e.outcome])).toEqual([
      ['alice', 'route:GET /undeclared', 'denied'],
      ['bob', 'route:POST /orders', 'denied'],
    ]);
  });

  it('serves HTTPS with mutual TLS when tls.ca/cert/key are configured', async () => {
    const issuer = await startFakeIssuer({ audience: 'orders' });
    cleanups.push(() => issuer.close());
    const pkiDir = mkdtempSync(path.join(tmpdir(), 'rampart-pki-'));
    await ensureDevPki(pkiDir, ['orders', 'caller']);
    const app = await securedService(issuer, {
      RAMPART_TLS_CA: path.join(pkiDir, 'ca.crt'),
      RAMPART_ORDERS_TLS_CERT: path.join(pkiDir, 'orders.crt'),
      RAMPART_ORDERS_TLS_KEY: path.join(pkiDir, 'orders.key'),
    });
    const { url, port } = await app.start({ handleSignals: false });
    expect(url).toMatch(/^https:/);
    const caller = await loadTlsMaterial(pkiDir, 'caller');
    const get = (withCert: boolean) =>
      new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/health/live',
            ca: caller.ca,
            ...(withCert ? { cert: caller.cert, key: caller.key } : {}),
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await get(true)).toBe(200);
    await expect(get(false)).rejects.toThrow();
  });

  it('picks up a renewed certificate without a restart', async () => {
    const issuer = await startFakeIssuer({ audience: 'orders' });
    cleanups.push(() => issuer.close());
    const pkiDir = mkdtempSync(path.join(tmpdir(), 'rampart-pki-'));
    await ensureDevPki(pkiDir, ['orders', 'caller']);
    const app = await securedService(issuer, {
      RAMPART_TLS_CA: path.join(pkiDir, 'ca.crt'),
      RAMPART_ORDERS_TLS_CERT: path.join(pkiDir, 'orders.crt'),
      RAMPART_ORDERS_TLS_KEY: path.join(pkiDir, 'orders.key'),
      RAMPART_ORDERS_TLS_RELOAD_INTERVAL_MS: '1000',
    });
    const { port } = await app.start({ handleSignals: false });
    const caller = await loadTlsMaterial(pkiDir, 'caller');
    const serial = () =>
      new Promise<string>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/health/live',
            ca: caller.ca,
            cert: caller.cert,
            key: caller.key,
            agent: false,
          },
          (res) => {
            res.resume();
            resolve((res.socket as TLSSocket).getPeerCertificate().serialNumber);
          },
        );
        req.on('error', reject);
        req.end();
      });
    const before = await serial();
    rmSync(path.join(pkiDir, 'orders.crt'));
    expect((await ensureDevPki(pkiDir, ['orders'])).issued).toEqual(['orders']);
    await new Promise((r) => setTimeout(r, 1600));
    expect(await serial()).not.toBe(before);
  });

  it('refuses to start with half a TLS configuration, naming what is missing', async () => {
    const issuer = await startFakeIssuer({ audience: 'orders' });
    cleanups.push(() => issuer.close());
    await expect(securedService(issuer, { RAMPART_ORDERS_TLS_CERT: '/x.crt' })).rejects.toThrow(
      'orders: mutual TLS needs tls.ca, tls.cert and tls.key; missing tls.ca, tls.key',
    );
  });
});
