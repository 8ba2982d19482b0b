/** The accounts service over real HTTP, on SQLite and PostgreSQL, with tokens from a fake issuer. */
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  startFakeIssuer,
  type FakeIssuer,
} from '../../../packages/chassis/src/security/test-support/fake-issuer.js';
import { captureLogs } from '../../../packages/chassis/src/test-support/log-capture.js';
import { buildAccounts, type AccountsService } from './index.js';

const postgresUrl = inject('postgresUrl');
const schema = `t_accounts_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  if (!postgresUrl) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
});

const backends = [
  {
    name: 'SQLite',
    skip: false,
    url: () => `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'rampart-accounts-')), 'accounts.db')}`,
  },
  { name: 'PostgreSQL', skip: !postgresUrl, url: () => `${postgresUrl}?schema=${schema}` },
];

describe.each(backends)('accounts on $name', ({ skip, url }) => {
  let issuer: FakeIssuer;
  let app: AccountsService;
  let base: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    if (skip) return;
    issuer = await startFakeIssuer({ audience: 'accounts' });
    app = await buildAccounts({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        RAMPART_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rampart-accounts-data-')),
        DATABASE_URL: url(),
        RAMPART_ACCOUNTS_SECURITY_ISSUER: issuer.issuer,
        RAMPART_ACCOUNTS_SECURITY_REVOCATION_FEED: 'false',
      },
      argv: [],
      logDestination: captureLogs(),
    });
    base = (await app.start({ handleSignals: false })).url;
    for (const [sub, roles] of [
      ['alice', ['customer']],
      ['bob', ['customer']],
      ['root', ['admin']],
    ] as const)
      tokens[sub] = await issuer.sign({ sub, client_id: 'demo-spa', roles: [...roles] });
    return async () => {
      await app.close();
      await issuer.close();
    };
  });

  async function call(method: string, route: string, who?: string, body?: unknown) {
    const headers: Record<string, string> = {};
    if (who) headers.authorization = `Bearer ${tokens[who] ?? who}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${route}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: text ? JSON.parse(text) : null,
    };
  }

  it.skipIf(skip)('creates the caller’s account on first use and returns the same one after', async () => {
    const first = await call('GET', '/accounts/me', 'alice');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      id: 'alice',
      status: 'active',
      createdAt: expect.any(String),
      suspendedAt: null,
    });
    const [again, concurrent] = await Promise.all([
      call('GET', '/accounts/me', 'alice'),
      call('GET', '/accounts/me', 'bob'),
    ]);
    expect(again.body).toEqual(first.body);
    expect(concurrent.body.id).toBe('bob');
    expect((await call('GET', '/accounts/me')).status).toBe(401);
  });

  it.skipIf(skip)('lists accounts for admins only', async () => {
    const denied = await call('GET', '/accounts', 'alice');
    expect(denied.status).toBe(403);
    expect(denied.type).toMatch(/^application\/problem\+json/);
    const listed = await call('GET', '/accounts', 'root');
    expect(listed.status).toBe(200);
    expect(listed.body.accounts.map((a: { id: string }) => a.id).sort()).toEqual(['alice', 'bob']);
  });

  it.skipIf(skip)('lets an admin suspend an account once, audited, and refuses everyone else', async () => {
    expect((await call('POST', '/accounts/bob/suspend', 'alice', {})).status).toBe(403);
    const suspended = await call('POST', '/accounts/bob/suspend', 'root', { reason: 'chargebacks' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ id: 'bob', status: 'suspended', suspendedAt: expect.any(String) });
    expect((await call('GET', '/accounts/me', 'bob')).body.status).toBe('suspended');

    const twice = await call('POST', '/accounts/bob/suspend', 'root');
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ACCOUNTS_ERR_ALREADY_SUSPENDED');
    const unknown = await call('POST', '/accounts/nobody/suspend', 'root');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ACCOUNTS_ERR_NOT_FOUND');
    expect((await call('GET', '/accounts?status=suspended', 'root')).body.accounts).toHaveLength(1);

    const events = await app.audit.pending();
    expect(
      events
        .filter((e) => e.action === 'account.suspend')
        .map((e) => [e.actor.sub, e.resource, e.outcome, e.details]),
    ).toEqual([
      ['root', 'account:bob', 'success', { reason: 'chargebacks' }],
      ['root', 'account:bob', 'failure', { why: 'already_suspended' }],
      ['root', 'account:nobody', 'failure', { why: 'not_found' }],
    ]);
    expect(events.filter((e) => e.action === 'access.denied').map((e) => [e.actor.sub, e.resource])).toEqual([
      ['alice', 'route:GET /accounts'],
      ['alice', 'route:POST /accounts/:id/suspend'],
    ]);
  });
});
