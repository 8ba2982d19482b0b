/**
 * The orders demo end to end: orders and accounts over real HTTP (identity propagated between
 * them), tokens from a fake issuer, on SQLite and PostgreSQL.
 */
import { mkdtempSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPlatform, type Platform } from './test-support/platform.js';

const postgresUrl = inject('postgresUrl');
const schema = `t_orders_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  if (!postgresUrl) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const svc of ['orders', 'accounts'])
    await client.query(`drop schema if exists "${schema}_${svc}" cascade`);
  await client.end();
});

const sqlite = (svc: string) =>
  `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), `rampart-${svc}-`)), `${svc}.db`)}`;
const backends = [
  { name: 'SQLite', skip: false, url: sqlite },
  { name: 'PostgreSQL', skip: !postgresUrl, url: (svc: string) => `${postgresUrl}?schema=${schema}_${svc}` },
];

const pizza = { items: [{ name: 'margherita', quantity: 2 }] };

describe.each(backends)('orders + accounts on $name', ({ skip, url }) => {
  let p: Platform;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    if (skip) return;
    p = await startPlatform({ orders: url('orders'), accounts: url('accounts') });
    for (const sub of ['alice', 'bob', 'carol', 'dave']) t[sub] = await p.userToken(sub, ['customer']);
    t.admin = await p.userToken('admin', ['admin']);
    return () => p.close();
  });

  const order = async (who: string, body: unknown = pizza) =>
    p.call('orders', 'POST', '/orders', t[who] ?? who, body);
  const get = (who: string, id: string) => p.call('orders', 'GET', `/orders/${id}`, t[who] ?? who);
  const list = async (who: string) =>
    ((await p.call('orders', 'GET', '/orders', t[who] ?? who)).body.orders as { id: string }[]).map(
      (o) => o.id,
    );
  const audited = async (resource: string) =>
    (await p.orders.audit.pending(10_000))
      .filter((e) => e.resource === resource)
      .map((e) => [e.action, e.actor.sub, e.outcome]);

  it.skipIf(skip)('places an order, owned by the caller, audited, and lists it', async () => {
    const created = await order('alice');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      owner: 'alice',
      status: 'placed',
      items: pizza.items,
      cancelledAt: null,
    });
    expect(created.headers.get('location')).toBe(`/orders/${created.body.id}`);
    expect((await get('alice', created.body.id)).body).toEqual(created.body);
    expect(await list('alice')).toContain(created.body.id);
    expect(await audited(`order:${created.body.id}`)).toEqual([['order.create', 'alice', 'success']]);
    // accounts created alice's account on first use, through her propagated token
    expect((await p.call('accounts', 'GET', '/accounts/me', t.alice)).body.status).toBe('active');
  });

  it.skipIf(skip)('validates the order body', async () => {
    for (const body of [
      {},
      { items: [] },
      { items: [{ name: 'x', quantity: 0 }] },
      { items: [{ name: '', quantity: 1 }] },
      { items: [{ name: 'x'.repeat(101), quantity: 1 }] },
      { items: Array.from({ length: 21 }, () => ({ name: 'x', quantity: 1 })) },
    ]) {
      const res = await order('alice', body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it.skipIf(skip)(
    'BOLA: bob can neither read, list, share nor cancel alice’s order — and learns nothing',
    async () => {
      const id = (await order('alice')).body.id as string;
      const probe = await get('bob', id);
      const missing = await get('bob', randomUUID());
      expect(probe.status).toBe(404);
      expect(probe.body.code).toBe('ORDERS_ERR_NOT_FOUND');
      const strip = ({ instance: _i, request_id: _r, detail: _d, ...rest }: Record<string, unknown>) => rest;
      expect(strip(probe.body)).toEqual(strip(missing.body));
      expect(await list('bob')).not.toContain(id);
      expect((await p.call('orders', 'POST', `/orders/${id}/share`, t.bob, { sub: 'bob' })).status).toBe(404);
      expect((await p.call('orders', 'POST', `/orders/${id}/cancel`, t.bob)).status).toBe(404);
      expect((await get('alice', id)).body.status).toBe('placed');
      expect(await audited(`order:${id}`)).toEqual([
        ['order.create', 'alice', 'success'],
        ['order.read', 'bob', 'denied'],
        ['order.share', 'bob', 'denied'],
        ['order.cancel', 'bob', 'denied'],
      ]);
    },
  );

  it.skipIf(skip)('sharing grants read and nothing more', async () => {
    const id = (await order('alice')).body.id as string;
    const shared = await p.call('orders', 'POST', `/orders/${id}/share`, t.alice, { sub: 'bob' });
    expect(shared.status).toBe(200);
    expect(shared.body).toEqual({ order: id, sub: 'bob', permission: 'read' });
    expect((await get('bob', id)).status).toBe(200);
    expect(await list('bob')).toContain(id);
    const cancel = await p.call('orders', 'POST', `/orders/${id}/cancel`, t.bob);
    expect(cancel.status).toBe(403);
    expect(cancel.body.code).toBe('ORDERS_ERR_NOT_OWNER');
    expect((await p.call('orders', 'POST', `/orders/${id}/share`, t.bob, { sub: 'carol' })).status).toBe(403);
    expect((await get('carol', id)).status).toBe(404);
    const self = await p.call('orders', 'POST', `/orders/${id}/share`, t.alice, { sub: 'alice' });
    expect(self.body.code).toBe('ORDERS_ERR_INVALID_SHARE');
    expect(await audited(`order:${id}`)).toEqual([
      ['order.create', 'alice', 'success'],
      ['order.share', 'alice', 'success'],
      ['order.cancel', 'bob', 'denied'],
      ['order.share', 'bob', 'denied'],
      ['order.read', 'carol', 'denied'],
    ]);
  });

  it.skipIf(skip)('the owner cancels once; a second cancellation is a conflict', async () => {
    const id = (await order('alice')).body.id as string;
    const cancelled = await p.call('orders', 'POST', `/orders/${id}/cancel`, t.alice);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, status: 'cancelled', cancelledAt: expect.any(String) });
    const again = await p.call('orders', 'POST', `/orders/${id}/cancel`, t.alice);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ORDERS_ERR_ALREADY_CANCELLED');
    expect(await audited(`order:${id}`)).toEqual([
      ['order.create', 'alice', 'success'],
      ['order.cancel', 'alice', 'success'],
      ['order.cancel', 'alice', 'failure'],
    ]);
  });

  it.skipIf(skip)(
    'a token without the customer role cannot order, but still reads its own orders',
    async () => {
      const id = (await order('alice')).body.id as string;
      const demoted = await p.userToken('alice', []);
      const refused = await order(demoted);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await get(demoted, id)).status).toBe(200);
      const denials = (await p.orders.audit.pending(10_000)).filter(
        (e) => e.action === 'access.denied' && e.resource === 'route:POST /orders',
      );
      expect(denials.map((e) => [e.actor.sub, e.outcome])).toContainEqual(['alice', 'denied']);
    },
  );

  it.skipIf(skip)('a suspended account cannot order', async () => {
    expect((await order('dave')).status).toBe(201);
    expect(
      (await p.call('accounts', 'POST', '/accounts/dave/suspend', t.admin, { reason: 'fraud' })).status,
    ).toBe(200);
    const refused = await order('dave');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('ORDERS_ERR_ACCOUNT_SUSPENDED');
    const events = await p.orders.audit.pending(10_000);
    expect(
      events.filter((e) => e.action === 'order.create' && e.actor.sub === 'dave').map((e) => e.outcome),
    ).toEqual(['success', 'denied']);
    const suspensions = (await p.accounts.audit.pending()).filter((e) => e.action === 'account.suspend');
    expect(suspensions.map((e) => [e.actor.sub, e.resource, e.outcome])).toEqual([
      ['admin', 'account:dave', 'success'],
    ]);
  });

  it.skipIf(skip)('a token accounts does not accept (aud without accounts) cannot order', async () => {
    const ordersOnly = await p.userToken('alice', ['customer'], { aud: 'orders' });
    const refused = await order(ordersOnly);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ORDERS_ERR_ACCOUNT_UNVERIFIED');
  });

  it.skipIf(skip)('admins see every order but cannot order without the customer role', async () => {
    const mine = (await order('alice')).body.id as string;
    const bobs = (await order('bob')).body.id as string;
    const all = await list('admin');
    expect(all).toEqual(expect.arrayContaining([mine, bobs]));
    expect(await list('bob')).not.toContain(mine);
    expect((await get('admin', mine)).status).toBe(200);
    expect((await order('admin')).status).toBe(403);
    const cancel = await p.call('orders', 'POST', `/orders/${bobs}/cancel`, t.admin);
    expect(cancel.body.code).toBe('ORDERS_ERR_NOT_OWNER');
  });

  it.skipIf(skip)('stats are for service accounts with scope orders:stats only', async () => {
    p.issuer.clients.set('demo-cli', 'demo-secret');
    const userWithScope = await p.userToken('alice', ['customer', 'admin'], { scope: 'orders:stats' });
    expect((await p.call('orders', 'GET', '/orders/stats', userWithScope)).status).toBe(403);
    const noScope = await p.serviceToken('demo-cli', 'demo-secret', 'orders:read');
    const refused = await p.call('orders', 'GET', '/orders/stats', noScope);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
    const stats = async () => {
      const res = await p.call(
        'orders',
        'GET',
        '/orders/stats',
        await p.serviceToken('demo-cli', 'demo-secret', 'orders:stats'),
      );
      expect(res.status).toBe(200);
      return res.body as { total: number; byStatus: { placed: number; cancelled: number } };
    };
    const before = await stats();
    expect(before.total).toBe(before.byStatus.placed + before.byStatus.cancelled);
    await order('carol');
    expect(await stats()).toEqual({
      total: before.total + 1,
      byStatus: { ...before.byStatus, placed: before.byStatus.placed + 1 },
    });
  });

  it.skipIf(skip)('refuses a token once the issuer’s revocation feed names it', async () => {
    const jti = randomUUID();
    const token = await p.userToken('carol', ['customer'], { jti });
    expect((await p.call('orders', 'GET', '/orders', token)).status).toBe(200);
    p.issuer.revoke({ type: 'access_token', jti, exp: Math.floor(Date.now() / 1000) + 300 });
    await expect
      .poll(async () => (await p.call('orders', 'GET', '/orders', token)).status, {
        timeout: 5000,
        interval: 50,
      })
      .toBe(401);
    await expect
      .poll(async () => (await p.call('accounts', 'GET', '/accounts/me', token)).status, {
        timeout: 5000,
        interval: 50,
      })
      .toBe(401);
    const denial = (await p.orders.audit.pending(10_000)).find(
      (e) => e.action === 'access.denied' && (e.details as { code?: string } | null)?.code === 'revoked',
    );
    expect(denial?.outcome).toBe('denied');
  });

  // Last: takes accounts down for the rest of the suite.
  it.skipIf(skip)('answers 503 (never 500) when accounts is down, and orders nothing', async () => {
    await p.stopAccounts();
    const before = await list('bob');
    const refused = await order('bob');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body.code).toBe('ORDERS_ERR_ACCOUNTS_UNAVAILABLE');
    expect(await list('bob')).toEqual(before);
    const events = (await p.orders.audit.pending(10_000)).filter(
      (e) => e.action === 'order.create' && e.actor.sub === 'bob',
    );
    expect(events.at(-1)?.outcome).toBe('failure');
  });
});
