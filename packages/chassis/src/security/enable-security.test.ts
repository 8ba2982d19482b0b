/**
 * The whole wiring on real chassis services: configuration keys, revocation feed started on
 * listen and in readiness, denials in the audit log, and `as: 'service'` calls between services.
 */
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { createClientFactory } from '../client/client-factory.js';
import { createService, type Service } from '../service/create-service.js';
import { captureLogs, type LogCapture } from '../test-support/log-capture.js';
import { enableSecurity } from './enable-security.js';
import { withSecurityConfig, type SecurityConfig } from './security-config.js';
import { startFakeIssuer, type FakeIssuer } from './test-support/fake-issuer.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function secured(name: string, fake: FakeIssuer, env: Record<string, string> = {}) {
  const logs = captureLogs();
  const app = (await createService({
    name,
    env: { PORT: '0', RAMPART_SECURITY_ISSUER: fake.issuer, ...env },
    argv: [],
    logDestination: logs,
    config: withSecurityConfig(Type.Object({}), name),
  })) as Service & { config: { security: SecurityConfig } };
  cleanups.push(() => app.close());
  const security = enableSecurity(app, {
    config: app.config.security,
    permissions: { admin: ['orders:read:any'] },
  });
  return { app, logs, security };
}

function auditLines(logs: LogCapture) {
  return logs.lines().filter((l) => l.msg === 'audit') as unknown as { audit: Record<string, unknown> }[];
}

describe('enableSecurity', () => {
  it('reads security.* from the environment, starts the feed on listen and reports it in readiness', async () => {
    const fake = await startFakeIssuer({ holdMs: 200 });
    cleanups.push(() => fake.close());
    const { app, security } = await secured('orders', fake, {
      RAMPART_ORDERS_SECURITY_CLIENT_SECRET: 'orders-secret',
    });
    app.get('/orders', { config: { auth: { permissions: ['orders:read:any'] } } }, async () => ({
      ok: true,
    }));
    expect(app.config.security).toMatchObject({
      issuer: fake.issuer,
      audience: 'orders',
      clientId: 'orders',
    });
    expect(JSON.stringify(app.configEntries)).not.toContain('orders-secret');
    const { url } = await app.start({ handleSignals: false });
    await until(() => security.denyList?.connected === true, 'the feed');
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as { checks: Record<string, unknown[]> };
    expect(report.checks['revocation-feed:lag']?.[0]).toMatchObject({ status: 'pass' });

    const token = await fake.sign({ roles: ['admin'], sid: 'sess-9' });
    const call = () => fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    fake.revoke({ type: 'session', sid: 'sess-9', exp: Math.floor(Date.now() / 1000) + 300 });
    await until(async () => (await call()).status === 401, 'the session revocation');
  });

  it('audits denials (but not anonymous probes) and warns when the feed cannot run', async () => {
    const fake = await startFakeIssuer();
    cleanups.push(() => fake.close());
    const { app, logs } = await secured('orders', fake);
    app.get('/orders', { config: { auth: { roles: ['admin'] } } }, async () => ({ ok: true }));
    expect(logs.lines().some((l) => String(l.msg).startsWith('revocation feed disabled'))).toBe(true);
    await app.inject({ url: '/orders' });
    await app.inject({
      url: '/orders',
      headers: { authorization: `Bearer ${await fake.sign({ roles: ['customer'] })}` },
    });
    await app.inject({ url: '/orders', headers: { authorization: 'Bearer not.a.token' } });
    const events = auditLines(logs).map((l) => l.audit);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'access.denied',
        outcome: 'denied',
        resource: 'route:GET /orders',
        actor: { sub: 'alice', clientId: 'demo-spa', kind: 'user' },
        details: expect.objectContaining({ code: 'missing_role', status: 403 }),
      }),
      expect.objectContaining({
        action: 'access.denied',
        actor: { kind: 'anonymous' },
        details: expect.objectContaining({ code: 'invalid_token', status: 401 }),
      }),
    ]);
    expect(JSON.stringify(logs.lines())).not.toContain('not.a.token');
    await app.start({ handleSignals: false });
    const health = await app.inject({ url: '/health/ready' });
    expect(health.statusCode).toBe(200);
    expect(health.json().checks['revocation-feed:lag'][0]).toMatchObject({ status: 'warn' });
  });

  it('lets one service call another with its own token (aud = the peer)', async () => {
    const fake = await startFakeIssuer();
    cleanups.push(() => fake.close());
    const { app: accounts } = await secured('accounts', fake, {
      RAMPART_ACCOUNTS_SECURITY_REVOCATION_FEED: 'false',
    });
    accounts.get('/internal/ping', { config: { auth: { kind: 'service' } } }, async (request) => ({
      caller: request.principal?.clientId,
    }));
    const { url } = await accounts.start({ handleSignals: false });
    const clients = createClientFactory({
      services: { accounts: url },
      credentials: { issuer: fake.issuer, clientId: 'orders', clientSecret: 'orders-secret' },
    });
    cleanups.push(() => clients.close());
    const response = await clients
      .client('accounts', { as: 'service' })
      .get('/internal/ping', { requestId: 'r-1' });
    expect(response).toMatchObject({ status: 200, body: { caller: 'orders' } });
    expect(clients.client('accounts', { as: 'service' })).toBe(clients.client('accounts', { as: 'service' }));
    expect(() => clients.client('billing')).toThrow(/unknown service/);
  });
});
