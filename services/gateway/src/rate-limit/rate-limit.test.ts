import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  startFakeIssuer,
  type FakeIssuer,
} from '../../../../packages/chassis/src/security/test-support/fake-issuer.js';
import { startEchoUpstream, type EchoUpstream } from '../test-support/echo-upstream.js';
import { startGateway, type Harness } from '../test-support/gateway-harness.js';

const redisUrl = inject('redisUrl');
let up: EchoUpstream;
let issuer: FakeIssuer;
const gateways: Harness[] = [];

beforeAll(async () => {
  up = await startEchoUpstream();
  issuer = await startFakeIssuer({ audience: 'rampart' });
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});
afterAll(async () => {
  await Promise.all([up?.close(), issuer?.close()]);
});

async function gateway(routes: unknown[], env: Record<string, string> = {}) {
  const gw = await startGateway(routes, { RAMPART_GATEWAY_ISSUER: issuer.issuer, ...env });
  gateways.push(gw);
  return gw;
}

describe('rate limits (in-process)', () => {
  it('429 with Retry-After and the IETF RateLimit headers; rotating X-Forwarded-For does not reset it', async () => {
    const gw = await gateway([
      {
        name: 'login',
        prefix: '/login',
        upstreams: [up.url],
        auth: 'none',
        rateLimit: { key: 'ip', points: 2, durationSec: 60 },
      },
    ]);
    const send = (i: number) => fetch(`${gw.url}/login`, { headers: { 'x-forwarded-for': `10.0.0.${i}` } });
    const first = await send(1);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"login";q=2;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"login";r=1;t=\d+$/);
    expect((await send(2)).status).toBe(200);
    const limited = await send(3);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit')).toMatch(/^"login";r=0;t=\d+$/);
    expect(up.received.filter((r) => r.url === '/login').length).toBe(2);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/rampart_gateway_rate_limited_total\{route="login",key="ip"\} 1/);
  });

  it('behind a trusted proxy, keys by the client address it reports', async () => {
    const gw = await gateway(
      [
        {
          name: 'ip',
          prefix: '/ip',
          upstreams: [up.url],
          auth: 'none',
          rateLimit: { key: 'ip', points: 1, durationSec: 60 },
        },
      ],
      { RAMPART_GATEWAY_TRUST_PROXY: 'loopback' },
    );
    const send = (ip: string) => fetch(`${gw.url}/ip`, { headers: { 'x-forwarded-for': ip } });
    expect((await send('203.0.113.1')).status).toBe(200);
    expect((await send('203.0.113.1')).status).toBe(429);
    expect((await send('203.0.113.2')).status).toBe(200);
  });

  it('keys by user: two users have separate budgets', async () => {
    const gw = await gateway([
      {
        name: 'u',
        prefix: '/u',
        upstreams: [up.url],
        rateLimit: { key: 'user', points: 1, durationSec: 60 },
      },
    ]);
    const alice = await issuer.sign({ sub: 'alice' });
    const bob = await issuer.sign({ sub: 'bob' });
    const send = (token: string) => fetch(`${gw.url}/u`, { headers: { authorization: `Bearer ${token}` } });
    expect((await send(alice)).status).toBe(200);
    expect((await send(alice)).status).toBe(429);
    expect((await send(bob)).status).toBe(200);
  });
});

describe.skipIf(!redisUrl)('rate limits shared through Redis', () => {
  it('two gateway instances share one budget', async () => {
    // A unique route name gives this run its own Redis keys.
    const name = `shared-${randomUUID().slice(0, 8)}`;
    const routes = [
      {
        name,
        prefix: '/s',
        upstreams: [up.url],
        auth: 'none',
        rateLimit: { key: 'ip', points: 3, durationSec: 60 },
      },
    ];
    const one = await gateway(routes, { REDIS_URL: redisUrl ?? '' });
    const two = await gateway(routes, { REDIS_URL: redisUrl ?? '' });
    const statuses: number[] = [];
    for (const gw of [one, two, one, two]) statuses.push((await fetch(`${gw.url}/s`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
