/**
 * The gateway's edges: revocation feed, trusted proxies, CORS, the access log, mutual TLS to an
 * upstream.
 */
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevPki, loadTlsMaterial } from '@rampart/chassis';
import {
  startFakeIssuer,
  type FakeIssuer,
} from '../../../packages/chassis/src/security/test-support/fake-issuer.js';
import { startEchoUpstream, type EchoUpstream } from './test-support/echo-upstream.js';
import { startGateway, type Harness } from './test-support/gateway-harness.js';

let issuer: FakeIssuer;
let up: EchoUpstream;
let gw: Harness | undefined;

beforeAll(async () => {
  issuer = await startFakeIssuer({ audience: 'rampart', holdMs: 200 });
  issuer.clients.set('gateway', 'gw-secret');
  up = await startEchoUpstream();
});
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});
afterAll(async () => {
  await Promise.all([issuer?.close(), up?.close()]);
});

const authed = { prefix: '/api', upstreams: [] as string[] };

describe('revocation feed', () => {
  it('a token revoked at the issuer is refused within the feed latency', async () => {
    gw = await startGateway([{ ...authed, upstreams: [up.url] }], {
      RAMPART_GATEWAY_ISSUER: issuer.issuer,
      RAMPART_GATEWAY_CLIENT_SECRET: 'gw-secret',
      RAMPART_GATEWAY_SESSION_ENABLED: 'false',
    });
    const token = await issuer.sign({ jti: 'revoke-me' });
    const call = () => fetch(`${gw!.url}/api/x`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    issuer.revoke({ type: 'access_token', jti: 'revoke-me', exp: Math.floor(Date.now() / 1000) + 300 });
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await call()).status;
    }
    expect(status).toBe(401);
  });
});

describe('request ids and trusted proxies', () => {
  it('keeps x-request-id only from a trusted proxy', async () => {
    gw = await startGateway([{ prefix: '/p', upstreams: [up.url], auth: 'none' }], {
      RAMPART_GATEWAY_TRUST_PROXY: 'loopback',
    });
    const res = await fetch(`${gw.url}/p`, {
      headers: { 'x-request-id': 'from-the-lb', 'x-forwarded-for': '198.51.100.7' },
    });
    const body = (await res.json()) as { headers: Record<string, string> };
    expect(res.headers.get('x-request-id')).toBe('from-the-lb');
    expect(body.headers['x-request-id']).toBe('from-the-lb');
    expect(body.headers['x-forwarded-for']).toBe('198.51.100.7');
  });
});

describe('CORS', () => {
  it('answers preflights itself and decorates responses for allowed origins only', async () => {
    gw = await startGateway(
      [{ prefix: '/c', upstreams: [up.url], cors: { origins: ['https://app.test'], credentials: true } }],
      { RAMPART_GATEWAY_ISSUER: issuer.issuer },
    );
    const before = up.received.length;
    const preflight = await fetch(`${gw.url}/c/x`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.test');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(up.received.length).toBe(before);
    const evil = await fetch(`${gw.url}/c/x`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('access log and metrics', () => {
  it('writes one JSON line per request with route, status, timing split, bytes and caller', async () => {
    gw = await startGateway([{ name: 'api', ...authed, upstreams: [up.url] }], {
      RAMPART_GATEWAY_ISSUER: issuer.issuer,
    });
    const token = await issuer.sign({ sub: 'alice', client_id: 'spa' });
    const res = await fetch(`${gw.url}/api//a/./b?q=1`, {
      method: 'POST',
      body: 'hello',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    await res.text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = gw.logs.lines().filter((l) => l.msg === 'gateway access');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'POST',
      path: '/api/a/b',
      route: 'api',
      status: 200,
      sub: 'alice',
      client_id: 'spa',
      bytes_in: 5,
      request_id: res.headers.get('x-request-id'),
    });
    expect(lines[0]!.upstream_ms).toEqual(expect.any(Number));
    expect(lines[0]!.gateway_ms).toEqual(expect.any(Number));
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(
      /rampart_gateway_request_duration_seconds_count\{route="api",method="POST",status="200"\} 1/,
    );
    expect(metrics).toMatch(
      /rampart_gateway_upstream_duration_seconds_count\{route="api",upstream="[^"]+",outcome="ok"\} 1/,
    );
  });
});

describe('mutual TLS to upstreams', () => {
  it('presents the gateway certificate and verifies the upstream against the CA', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rampart-gw-pki-'));
    await ensureDevPki(dir, ['gateway', 'orders']);
    const orders = await loadTlsMaterial(dir, 'orders');
    const seen: string[] = [];
    const server = https.createServer(
      { ...orders, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        seen.push(String(peer.subject?.CN));
        res.end('ok');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      gw = await startGateway([{ prefix: '/tls', upstreams: [`https://localhost:${port}`], auth: 'none' }], {
        RAMPART_GATEWAY_UPSTREAM_TLS_CA: path.join(dir, 'ca.crt'),
        RAMPART_GATEWAY_UPSTREAM_TLS_CERT: path.join(dir, 'gateway.crt'),
        RAMPART_GATEWAY_UPSTREAM_TLS_KEY: path.join(dir, 'gateway.key'),
      });
      const res = await fetch(`${gw.url}/tls/x`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok');
      expect(seen).toEqual(['gateway']);
    } finally {
      await gw?.close();
      gw = undefined;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
