import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { rampartError } from '../errors/rampart-error.js';
import { captureLogs } from '../test-support/log-capture.js';
import { createService, type Service } from './create-service.js';

const run = promisify(execFile);
const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

async function make(env: Record<string, string> = {}) {
  const logs = captureLogs();
  const app = await createService({
    name: 'demo',
    version: '1.2.3',
    config: Type.Object({ dbPassword: Type.String({ secret: true, default: 'not-a-real-one' }) }),
    env: { PORT: '0', RAMPART_ACCESS_LOG: 'true', ...env },
    argv: [],
    logDestination: logs,
  });
  app.get(
    '/items/:id',
    { schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } },
    async (request) => ({
      id: request.params.id,
    }),
  );
  app.post(
    '/items',
    {
      schema: {
        body: Type.Object({ name: Type.String({ minLength: 1 }), qty: Type.Integer({ minimum: 1 }) }),
      },
    },
    async () => ({}),
  );
  app.get('/boom', async () => {
    throw new Error('connection string postgres://x:secret@db leaked?');
  });
  app.get('/conflict', async () => {
    throw rampartError('RAMPART_ERR_CONFLICT', { detail: 'version 3 is stale' });
  });
  app.get('/log', async (request) => {
    request.log.info(
      { user: { password: 'p4ss', name: 'alice' }, token: 'abc', headers: { authorization: 'Bearer x' } },
      'line1\n{"level":"fatal","msg":"forged"}',
    );
    return {};
  });
  services.push(app);
  return { app, logs };
}

describe('createService: errors', () => {
  it('answers unknown routes with a 404 problem', async () => {
    const { app } = await make();
    const res = await app.inject({ url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 404,
      code: 'RAMPART_ERR_NOT_FOUND',
      title: 'Not found',
      instance: '/nope',
    });
  });

  it('names the failing field on validation errors', async () => {
    const { app } = await make();
    const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'x', qty: 0 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('RAMPART_ERR_VALIDATION');
    expect(body.errors).toEqual([{ field: 'body/qty', message: 'must be >= 1' }]);
    const missing = (await app.inject({ method: 'POST', url: '/items', payload: { qty: 1 } })).json();
    expect(missing.errors[0].field).toBe('body/name');
    expect((await app.inject({ url: '/items/abc' })).json().detail).toContain('params/id');
  });

  it('answers malformed JSON with 400 and unsupported media with 415', async () => {
    const { app } = await make();
    const bad = await app.inject({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toBe('application/problem+json');
    const media = await app.inject({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(media.statusCode).toBe(415);
    expect(media.json().code).toBe('RAMPART_ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('never leaks internals in 5xx bodies, and reports the error', async () => {
    const { app, logs } = await make();
    const res = await app.inject({ url: '/boom' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.code).toBe('RAMPART_ERR_INTERNAL');
    expect(res.body).not.toContain('postgres');
    expect(body.detail).toContain(body.request_id);
    const reported = logs.lines().find((l) => l.msg === 'unhandled error');
    expect(reported).toMatchObject({ level: 'error', exception_kind: 'request', http_route: '/boom' });
    expect((reported?.err as { type: string }).type).toBe('Error');
  });

  it('shows the detail of exposed RampartErrors', async () => {
    const { app } = await make();
    const res = await app.inject({ url: '/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'RAMPART_ERR_CONFLICT',
      detail: 'version 3 is stale',
      type: 'urn:rampart:problem:rampart-err-conflict',
    });
  });

  it('passes every error to a replacement reporter', async () => {
    const { app } = await make();
    const seen: unknown[] = [];
    app.setReporter({ report: (error) => seen.push(error) });
    await app.inject({ url: '/boom' });
    await app.inject({ url: '/conflict' });
    expect(seen).toHaveLength(1);
  });
});

describe('createService: logs', () => {
  it('writes one JSON line per request with request_id, service name and version', async () => {
    const { app, logs } = await make();
    const res = await app.inject({ url: '/items/7', headers: { 'x-request-id': 'req-abc' } });
    expect(res.headers['x-request-id']).toBe('req-abc');
    const access = logs.lines().find((l) => l.msg === 'request completed');
    expect(access).toMatchObject({
      level: 'info',
      request_id: 'req-abc',
      'service.name': 'demo',
      'service.version': '1.2.3',
      method: 'GET',
      url: '/items/7',
      route: '/items/:id',
      status: 200,
    });
    expect(typeof access?.time).toBe('string');
  });

  it('replaces an unsafe incoming request id', async () => {
    const { app } = await make();
    const res = await app.inject({ url: '/items/7', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redacts secrets and cannot be made to forge lines', async () => {
    const { app, logs } = await make();
    await app.inject({ url: '/log?access_token=abc123&x=1', headers: { authorization: 'Bearer s3cr3t' } });
    const text = logs.raw.join('');
    expect(text).not.toContain('p4ss');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('Bearer x');
    const lines = logs.lines();
    expect(lines.filter((l) => l.msg === 'forged')).toHaveLength(0);
    const line = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('line1'));
    expect(line?.user).toEqual({ password: '[REDACTED]', name: 'alice' });
    expect(lines.find((l) => l.msg === 'request completed')?.url).toBe('/log?access_token=****&x=1');
  });

  it('changes the level at run time', async () => {
    const { app, logs } = await make();
    app.setLogLevel('warn');
    await app.inject({ url: '/items/1' });
    expect(logs.lines().some((l) => l.msg === 'request completed')).toBe(false);
    app.setLogLevel('info');
    await app.inject({ url: '/items/1' });
    expect(logs.lines().some((l) => l.msg === 'request completed')).toBe(true);
  });
});

describe('createService: health', () => {
  it('is not ready before start, ready after, with health+json and no-store', async () => {
    const { app } = await make();
    const before = await app.inject({ url: '/health/ready' });
    expect(before.statusCode).toBe(503);
    expect(before.json()).toMatchObject({ status: 'fail', output: 'starting' });
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
    await app.start({ handleSignals: false });
    const after = await app.inject({ url: '/health/ready' });
    expect(after.statusCode).toBe(200);
    expect(after.headers['content-type']).toBe('application/health+json');
    expect(after.headers['cache-control']).toBe('no-store');
    expect(after.json()).toMatchObject({ status: 'pass', serviceId: 'demo', version: '1.2.3' });
  });

  it('reports checks keyed component:measurement; critical fail → 503, non-critical → warn', async () => {
    const { app } = await make();
    app.health.register({
      component: 'database',
      measurement: 'responseTime',
      componentType: 'datastore',
      check: async () => {},
    });
    app.health.register({
      component: 'cache',
      critical: false,
      check: () => ({ status: 'fail', output: 'redis down' }),
    });
    await app.start({ handleSignals: false });
    const warn = await app.inject({ url: '/health' });
    expect(warn.statusCode).toBe(200);
    const body = warn.json();
    expect(body.status).toBe('warn');
    expect(body.checks['database:responseTime'][0]).toMatchObject({
      componentType: 'datastore',
      status: 'pass',
      observedUnit: 'ms',
    });
    expect(body.checks['database:responseTime'][0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.checks.cache[0]).toMatchObject({ status: 'fail', output: 'redis down' });
    expect(body.checks.uptime[0]).toMatchObject({ observedUnit: 's' });
  });

  it('fails a check that exceeds its timeout, without waiting for it', async () => {
    const { app } = await make();
    app.health.register({
      component: 'slow',
      timeoutMs: 50,
      check: () => new Promise((r) => setTimeout(r, 5000)),
    });
    await app.start({ handleSignals: false });
    const started = Date.now();
    const res = await app.inject({ url: '/health/ready' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.slow[0]).toMatchObject({ status: 'fail', output: 'timed out after 50 ms' });
  });

  it('fails readiness as soon as shutdown begins', async () => {
    const { app } = await make({ RAMPART_SHUTDOWN_DRAIN_DELAY_MS: '300' });
    await app.start({ handleSignals: false });
    const closing = app.shutdown('test');
    const res = await app.inject({ url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().output).toBe('shutting down');
    await closing;
  });
});

describe('createService: metrics', () => {
  it('exposes RED metrics labelled by route template, grouping unmatched paths', async () => {
    const { app } = await make();
    await app.inject({ url: '/items/1' });
    await app.inject({ url: '/items/2' });
    await app.inject({ url: '/random/a' });
    await app.inject({ url: '/random/b' });
    await app.inject({ method: 'PROPFIND', url: '/items/1' });
    await app.inject({ method: 'MKCOL', url: '/items/1' });
    const res = await app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    const text = res.body;
    expect(text).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/items/:id",http_response_status_code="200"} 2',
    );
    expect(text).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="(unmatched)",http_response_status_code="404"} 2',
    );
    // Every method outside the known set is one series, whichever method it was.
    expect(text).toMatch(
      /http_server_request_duration_seconds_count\{http_request_method="_OTHER",http_route="\(unmatched\)",http_response_status_code="404"\} 2\n/,
    );
    expect(text).not.toContain('/random/a');
    expect(text).toContain(
      'http_server_request_duration_seconds_bucket{http_request_method="GET",http_route="/items/:id",http_response_status_code="200",le="+Inf"} 2',
    );
    for (const le of [
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.075',
      '0.1',
      '0.25',
      '0.5',
      '0.75',
      '1',
      '2.5',
      '5',
      '7.5',
      '10',
    ]) {
      expect(text).toMatch(
        new RegExp(
          `http_server_request_duration_seconds_bucket\\{[^}]*le="${le.replace('.', '\\.')}"\\} 2\n`,
        ),
      );
    }
    expect(text).toContain('http_server_active_requests{http_request_method="GET"} 1');
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_active_handles',
      'nodejs_gc_duration_seconds',
      'http_server_active_requests',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('settles active requests whose client went away, once, over real connections', async () => {
    const { app } = await make();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    app.get('/held', async () => {
      await held;
      return {};
    });
    const { port } = await app.start({ handleSignals: false });
    const active = async () => {
      const text = (await app.inject({ url: '/metrics' })).body;
      // The scrape itself is one active (injected) request.
      return Number(/http_server_active_requests\{http_request_method="GET"\} (-?\d+)/.exec(text)?.[1]) - 1;
    };
    const until = async (expected: number) => {
      for (let i = 0; i < 100 && (await active()) !== expected; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(await active()).toBe(expected);
    };
    // One connection, three pipelined requests: two answered at once, one held, then dropped.
    const pipelined = net.connect(port, '127.0.0.1');
    pipelined.on('error', () => {});
    let answers = '';
    pipelined.on('data', (chunk: Buffer) => (answers += chunk.toString()));
    const get = (url: string) => `GET ${url} HTTP/1.1\r\nHost: x\r\n\r\n`;
    pipelined.write(get('/items/1') + get('/held') + get('/items/2'));
    // A second connection: a request held, then dropped; a third one kept and answered.
    const single = net.connect(port, '127.0.0.1');
    single.on('error', () => {});
    single.write(get('/held'));
    const kept = net.connect(port, '127.0.0.1');
    kept.write(get('/held'));
    await until(4);
    pipelined.destroy();
    single.destroy();
    await until(1);
    release();
    await until(0);
    kept.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(await active()).toBe(0);
    expect(answers).toContain('HTTP/1.1 200');
  });

  it('passes promtool check metrics', async (context) => {
    const promtool = await run('which', ['promtool']).then(
      (r) => r.stdout.trim(),
      () => null,
    );
    if (!promtool) {
      if (process.env.CI) throw new Error('promtool is required in CI (Debian package prometheus)');
      context.skip('promtool not installed (apt-get install prometheus)');
      return;
    }
    const { app } = await make();
    await app.inject({ url: '/items/1' });
    await app.inject({ url: '/nope' });
    const text = (await app.inject({ url: '/metrics' })).body;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rampart-metrics-')), 'metrics.txt');
    writeFileSync(file, text);
    const result = await run('sh', ['-c', `promtool check metrics < ${file}`]).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('createService: client address', () => {
  it('takes X-Forwarded-For only from trusted proxies', async () => {
    const trusted = await make({ RAMPART_TRUST_PROXY: '127.0.0.1' });
    trusted.app.get('/ip', async (request) => ({ ip: request.ip }));
    const viaProxy = await trusted.app.inject({
      url: '/ip',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(viaProxy.json()).toEqual({ ip: '203.0.113.7' });

    const untrusted = await make();
    untrusted.app.get('/ip', async (request) => ({ ip: request.ip }));
    const spoofed = await untrusted.app.inject({
      url: '/ip',
      remoteAddress: '198.51.100.1',
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(spoofed.json()).toEqual({ ip: '198.51.100.1' });
  });
});
