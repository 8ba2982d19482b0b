import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEchoUpstream, type EchoUpstream } from '../test-support/echo-upstream.js';
import { startGateway, type Harness } from '../test-support/gateway-harness.js';

let gw: Harness | undefined;
const upstreams: EchoUpstream[] = [];

afterEach(async () => {
  await gw?.close();
  gw = undefined;
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
});

async function upstream(name: string) {
  const u = await startEchoUpstream(name);
  upstreams.push(u);
  return u;
}

async function freePortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const route = (extra: Record<string, unknown>) => ({ prefix: '/svc', auth: 'none', ...extra });

describe('upstream failures', () => {
  it('an upstream that is down → 502, and the gateway keeps serving', async () => {
    gw = await startGateway([route({ upstreams: [await freePortUrl()], retries: 0 })]);
    const res = await fetch(`${gw.url}/svc/x`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code?: string; type?: string }).type ?? '').toBeTruthy();
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
  });

  it('a slow upstream → 504 at the route timeout', async () => {
    const slow = await upstream('slow');
    slow.delayMs = 1500; // undici checks headersTimeout on a ~0.5 s tick
    gw = await startGateway([route({ upstreams: [slow.url], timeoutMs: 100, retries: 0 })]);
    expect((await fetch(`${gw.url}/svc/x`)).status).toBe(504);
  });

  it('a body that stalls after the headers ends the connection without crashing the gateway', async () => {
    const slow = await upstream('slow-body');
    slow.bodyDelayMs = 1500;
    gw = await startGateway([route({ upstreams: [slow.url], timeoutMs: 100, retries: 0 })]);
    const res = await fetch(`${gw.url}/svc/x`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
  });

  it('an upstream resetting connections → 502, not retried (the request may have been processed)', async () => {
    const resetting = await upstream('reset');
    resetting.reset = true;
    gw = await startGateway([route({ upstreams: [resetting.url], retries: 2 })]);
    expect((await fetch(`${gw.url}/svc/x`)).status).toBe(502);
    expect(resetting.received.length).toBe(1);
  });

  it('retries a GET after a connect error on another upstream, and ejects the dead one', async () => {
    const alive = await upstream('alive');
    const dead = await freePortUrl();
    gw = await startGateway([route({ upstreams: [dead, alive.url], retries: 1, retryBackoffMs: 1 })]);
    for (let i = 0; i < 4; i++) expect((await fetch(`${gw.url}/svc/x`)).status).toBe(200);
    // After the first connect failure the dead upstream is ejected: round robin skips it.
    expect(alive.received.length).toBe(4);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`rampart_gateway_upstream_healthy\\{upstream="${dead}"\\} 0`));
  });

  it('retries a GET after a 503 but never a POST', async () => {
    const flaky = await upstream('flaky');
    flaky.status = 503;
    gw = await startGateway([
      route({ upstreams: [flaky.url], retries: 2, retryBackoffMs: 1, breaker: { failures: 50 } }),
    ]);
    expect((await fetch(`${gw.url}/svc/x`)).status).toBe(503);
    expect(flaky.received.length).toBe(3);
    expect((await fetch(`${gw.url}/svc/x`, { method: 'POST', body: 'a' })).status).toBe(503);
    expect(flaky.received.length).toBe(4);
  });

  it('does not retry for a client that hung up during the backoff', async () => {
    const flaky = await upstream('flaky');
    flaky.status = 503;
    gw = await startGateway([
      route({ upstreams: [flaky.url], retries: 2, retryBackoffMs: 400, breaker: { failures: 50 } }),
    ]);
    const controller = new AbortController();
    const gone = fetch(`${gw.url}/svc/x`, { signal: controller.signal }).catch(() => 'aborted');
    // The first attempt got its 503; the gateway now waits before the second one.
    while (flaky.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    expect(await gone).toBe('aborted');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(flaky.received.length).toBe(1);
    // The gateway serves on.
    flaky.status = 200;
    expect((await fetch(`${gw.url}/svc/x`)).status).toBe(200);
  });

  it('round-robins across healthy upstreams', async () => {
    const a = await upstream('a');
    const b = await upstream('b');
    gw = await startGateway([route({ upstreams: [a.url, b.url] })]);
    for (let i = 0; i < 4; i++) await (await fetch(`${gw.url}/svc/x`)).text();
    expect(a.received.length).toBe(2);
    expect(b.received.length).toBe(2);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures (503 without calling the upstream) and closes after a good trial', async () => {
    const flaky = await upstream('flaky');
    flaky.status = 502;
    gw = await startGateway([
      route({
        upstreams: [flaky.url],
        retries: 0,
        breaker: { failures: 3, halfOpenAfterMs: 200 },
        ejectMs: 0,
      }),
    ]);
    for (let i = 0; i < 3; i++) expect((await fetch(`${gw.url}/svc/x`)).status).toBe(502);
    const open = await fetch(`${gw.url}/svc/x`);
    expect(open.status).toBe(503);
    expect(open.headers.get('retry-after')).toBe('1');
    expect(flaky.received.length).toBe(3);
    let metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/rampart_gateway_breaker_state\{upstream="[^"]+"\} 2/);

    flaky.status = 200;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await fetch(`${gw.url}/svc/x`)).status).toBe(200);
    expect((await fetch(`${gw.url}/svc/x`)).status).toBe(200);
    metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/rampart_gateway_breaker_state\{upstream="[^"]+"\} 0/);
  });

  it('does not count clients that hang up against the upstream', async () => {
    const slow = await upstream('slow');
    slow.delayMs = 300;
    gw = await startGateway([
      route({
        upstreams: [slow.url],
        retries: 0,
        breaker: { failures: 3, halfOpenAfterMs: 60_000 },
        ejectMs: 0,
      }),
    ]);
    const hangUps = Array.from({ length: 6 }, async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await fetch(`${gw!.url}/svc/x`, { signal: controller.signal }).catch(() => undefined);
    });
    await Promise.all(hangUps);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await fetch(`${gw.url}/svc/x`)).status).toBe(200);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/rampart_gateway_breaker_state\{upstream="[^"]+"\} 0/);
  });
});

describe('active health checks', () => {
  it('takes an upstream whose /health/ready fails out of rotation', async () => {
    const a = await upstream('a');
    const b = await upstream('b');
    b.status = 503; // its readiness answers 503
    gw = await startGateway([route({ upstreams: [a.url, b.url], healthCheck: { intervalMs: 100 } })]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    b.status = 200; // would answer fine, but is out of rotation until the next check
    b.received.length = 0;
    a.received.length = 0;
    for (let i = 0; i < 2; i++) await (await fetch(`${gw.url}/svc/x`)).text();
    expect(a.received.filter((r) => r.url === '/svc/x').length).toBe(2);
  });
});
