import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { StartupError } from '../lifecycle/startup-error.js';
import { createService, type Service } from '../service/create-service.js';
import { captureLogs } from '../test-support/log-capture.js';

const postgresUrl = inject('postgresUrl');
const schemaPrefix = `t_audit_${randomBytes(4).toString('hex')}`;
const schemas: string[] = [];
function freshSchema(): string {
  const name = `${schemaPrefix}_${schemas.length}`;
  schemas.push(name);
  return name;
}

const backends = [
  {
    name: 'SQLite',
    url: () => `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'rampart-audit-')), 'svc.db')}`,
    skip: false,
  },
  { name: 'PostgreSQL', url: () => `${postgresUrl}?schema=${freshSchema()}`, skip: !postgresUrl },
];

afterAll(async () => {
  if (!postgresUrl) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

async function make(url: string) {
  const app = await createService({
    name: 'orders',
    env: { PORT: '0', DATABASE_URL: url },
    argv: [],
    logDestination: captureLogs(),
    database: {
      migrations: {
        '0001_orders': {
          up: (db) =>
            db.schema
              .createTable('orders')
              .ifNotExists()
              .addColumn('id', 'text', (c) => c.primaryKey())
              .execute(),
        },
      },
    },
  });
  app.post('/orders/:id/cancel', async (request) => {
    const { id } = request.params as { id: string };
    await request.audit('order.cancel', {
      resource: `order:${id}`,
      details: { reason: 'changed mind', cardToken: 'tok_123' },
    });
    return { ok: true };
  });
  services.push(app);
  return app;
}

describe.each(backends)('the service database and audit outbox on $name', ({ url, skip }) => {
  it.skipIf(skip)('runs chassis and service migrations, and readiness checks the database', async () => {
    const app = await make(url());
    await app.db.insertInto('orders').values({ id: 'o1' }).execute();
    await app.start({ handleSignals: false });
    const ready = (await app.inject({ url: '/health/ready' })).json();
    expect(ready.status).toBe('pass');
    expect(ready.checks['database:responseTime'][0]).toMatchObject({
      status: 'pass',
      componentType: 'datastore',
    });
  });

  it.skipIf(skip)(
    'records who, what, where and outcome durably before the response, secrets redacted',
    async () => {
      const app = await make(url());
      const res = await app.inject({
        method: 'POST',
        url: '/orders/42/cancel',
        headers: {
          'x-request-id': 'req-1',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        },
      });
      expect(res.statusCode).toBe(200);
      const [event] = await app.audit.pending();
      expect(event).toMatchObject({
        service: 'orders',
        action: 'order.cancel',
        outcome: 'success',
        resource: 'order:42',
        requestId: 'req-1',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        actor: { kind: 'anonymous' },
        details: { reason: 'changed mind', cardToken: '[REDACTED]' },
      });
      expect(event?.time).toMatch(/Z$/);
      expect(event?.ip).toBeTruthy();
    },
  );

  it.skipIf(skip)('refuses a malformed action name and stores nothing', async () => {
    const app = await make(url());
    await expect(app.audit.record({ action: 'Drop Table', outcome: 'success' })).rejects.toThrow(
      /invalid audit action/,
    );
    expect(await app.audit.pending()).toEqual([]);
  });
});

describe('database start-up failures', () => {
  it('a bad URL is a configuration error naming the key and its source', async () => {
    const error = await make('mysql://x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('databaseUrl');
    expect((error as Error).message).toContain('env DATABASE_URL');
  });

  it('an unreachable PostgreSQL is an unavailable dependency (exit 69) without the password', async () => {
    const error = await make('postgres://app:hunter2@127.0.0.1:1/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).exitCode).toBe(69);
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message).not.toContain('hunter2');
  });
});
