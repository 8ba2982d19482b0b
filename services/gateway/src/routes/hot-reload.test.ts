import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoUpstream, type EchoUpstream } from '../test-support/echo-upstream.js';
import { startGateway, type Harness } from '../test-support/gateway-harness.js';
import { parseRouteTable } from './load-routes.js';

let a: EchoUpstream;
let b: EchoUpstream;
let gw: Harness;

beforeAll(async () => {
  a = await startEchoUpstream('a');
  b = await startEchoUpstream('b');
  gw = await startGateway([{ prefix: '/svc', upstreams: [a.url], auth: 'none' }]);
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([a?.close(), b?.close()]);
});

function nextReload(): Promise<boolean> {
  return new Promise((resolve) => {
    const stop = gw.app.routes.onReload((ok) => {
      stop();
      resolve(ok);
    });
  });
}

const upstreamOf = async (path: string) =>
  ((await (await fetch(`${gw.url}${path}`)).json()) as { upstream?: string }).upstream;

describe('route table hot reload', () => {
  it('swaps in a valid table when the file changes', async () => {
    const reloaded = nextReload();
    await gw.writeRoutes([
      { prefix: '/svc', upstreams: [b.url], auth: 'none' },
      { prefix: '/other', upstreams: [a.url], auth: 'none' },
    ]);
    expect(await reloaded).toBe(true);
    expect(await upstreamOf('/svc/x')).toBe('b');
    expect(await upstreamOf('/other/x')).toBe('a');
  });

  it('rejects an invalid table with a logged error and a metric; the old table keeps serving', async () => {
    const reloaded = nextReload();
    await gw.writeRoutes([{ prefix: 'no-slash', upstreams: ['ftp://x'], auth: 'sometimes' }]);
    expect(await reloaded).toBe(false);
    expect(await upstreamOf('/svc/x')).toBe('b');
    const error = gw.logs
      .lines()
      .find((l) => l.msg === 'route table rejected; the previous table keeps serving');
    expect(error).toBeDefined();
    expect((error?.problems as string[]).join(' ')).toMatch(/prefix/);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/rampart_gateway_config_reloads_total\{outcome="rejected"\} 1/);
    expect(metrics).toMatch(/rampart_gateway_config_reloads_total\{outcome="success"\} 1/);

    const broken = nextReload();
    await gw.writeRoutes('routes: [ {prefix: /svc');
    expect(await broken).toBe(false);
    expect(await upstreamOf('/svc/x')).toBe('b');
  });
});

describe('route table validation', () => {
  const parse = (routes: unknown[], env: Record<string, string> = {}) =>
    parseRouteTable(JSON.stringify({ routes }), 'test.yaml', env);

  it('applies defaults and substitutes ${VAR:-default} from the environment', () => {
    const [route] = parse([{ prefix: '/api/', upstreams: ['${UP:-http://localhost:1}'] }], {
      UP: 'https://orders:8443',
    });
    expect(route).toMatchObject({
      prefix: '/api',
      name: '/api',
      auth: 'required',
      retries: 1,
      upstreams: ['https://orders:8443'],
    });
    expect(parse([{ prefix: '/x', upstreams: ['${UP:-http://localhost:1}'] }])[0]?.upstreams).toEqual([
      'http://localhost:1',
    ]);
  });

  it('lists every problem at once', () => {
    expect(() =>
      parse([
        { prefix: '/a', upstreams: ['http://x'], extra: 1 },
        { prefix: '/a', upstreams: ['http://x'] },
        { prefix: '/b', upstreams: ['http://x'], auth: 'none', roles: ['admin'] },
      ]),
    ).toThrow(/extra|additional/i);
    expect(() =>
      parse([
        { prefix: '/a', upstreams: ['http://x'] },
        { prefix: '/a/', upstreams: ['http://x'] },
      ]),
    ).toThrow(/used twice/);
    expect(() => parse([{ prefix: '/b', upstreams: ['http://x'], auth: 'none', roles: ['admin'] }])).toThrow(
      /scopes\/roles/,
    );
    expect(() => parse([{ prefix: '/b', upstreams: ['${MISSING}'] }])).toThrow(/MISSING/);
  });

  it('the bundled default table is valid', async () => {
    const { loadRouteFile } = await import('./load-routes.js');
    const { DEFAULT_ROUTES_FILE } = await import('../app.js');
    const routes = await loadRouteFile(DEFAULT_ROUTES_FILE, {
      RAMPART_GATEWAY_UPSTREAM_ORDERS: 'https://localhost:9443',
    });
    expect(routes.find((r) => r.name === 'orders')?.upstreams).toEqual(['https://localhost:9443']);
    expect(routes.find((r) => r.name === 'auth-admin')).toMatchObject({
      rewritePrefix: '/admin',
      roles: ['admin'],
    });
  });
});
