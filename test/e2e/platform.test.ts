/**
 * The whole platform as a user runs it: `rampart up --demo` (every service its own process,
 * mutual TLS between them), then the demo journeys through the gateway — discovery, a person
 * signing in with authorization code + PKCE, orders with their access rules, a service account,
 * revocation reaching the services, and a clean shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repo, 'packages/cli/dist/bin.js');
const GATEWAY = 'http://localhost:8080';
const REDIRECT = 'http://127.0.0.1:8787/callback';
const dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-e2e-'));

let up: ChildProcess;
let exited: Promise<number | null>;
const stderr: string[] = [];

beforeAll(async () => {
  up = spawn(process.execPath, [bin, 'up', '--demo', '--data-dir', dataDir], {
    cwd: repo,
    env: { ...process.env, RAMPART_DEMO_PASSWORD: 'e2e-demo-pass', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  exited = new Promise((resolve) => up.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 90 s:\n${stderr.join('\n')}`)), 90_000);
    createInterface({ input: up.stderr! }).on('line', (line) => {
      stderr.push(line);
      if (line.startsWith('rampart: ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    up.on('exit', (code) => reject(new Error(`rampart up exited ${code}:\n${stderr.join('\n')}`)));
  });
}, 100_000);

afterAll(async () => {
  if (!up || up.exitCode !== null) return;
  up.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 60_000);

/** A browser's cookie jar, enough for the login form. */
class Browser {
  #cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0)
      headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name) this.#cookies.set(name.trim(), value ?? '');
    }
    return res;
  }
}

async function signIn(username: string, password = 'e2e-demo-pass') {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const browser = new Browser();
  const authorize = new URL(`${GATEWAY}/oauth2/authorize`);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: 'demo-spa',
    redirect_uri: REDIRECT,
    scope: 'openid profile offline_access',
    state: 'e2e-state',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    authorize.searchParams.set(k, v);
  const page = await (await browser.fetch(authorize.href)).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1] ?? '';
  const login = await browser.fetch(`${GATEWAY}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      interaction: field('interaction'),
      csrf: field('csrf'),
      username,
      password,
    }).toString(),
  });
  expect(login.status).toBe(303); // See Other: the browser follows with a GET
  const callback = new URL(login.headers.get('location') ?? '');
  expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
  expect(callback.searchParams.get('state')).toBe('e2e-state');
  expect(callback.searchParams.get('iss')).toBe(GATEWAY);
  const token = await fetch(`${GATEWAY}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
      client_id: 'demo-spa',
      code_verifier: verifier,
    }).toString(),
  });
  expect(token.status).toBe(200);
  return (await token.json()) as { access_token: string; refresh_token: string; id_token: string };
}

const api = (token: string, url: string, init: RequestInit = {}) =>
  fetch(`${GATEWAY}${url}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });

function mtlsGet(port: number, withCertificate: boolean): Promise<number> {
  const pki = path.join(dataDir, 'pki');
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: 'localhost',
        port,
        path: '/health/ready',
        ca: readFileSync(path.join(pki, 'ca.crt')),
        ...(withCertificate
          ? {
              cert: readFileSync(path.join(pki, 'rampart.crt')),
              key: readFileSync(path.join(pki, 'rampart.key')),
            }
          : {}),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('rampart up --demo', () => {
  it('publishes the issuer metadata at the gateway, with S256 PKCE only', async () => {
    for (const doc of ['openid-configuration', 'oauth-authorization-server']) {
      const meta = (await (await fetch(`${GATEWAY}/.well-known/${doc}`)).json()) as Record<string, unknown>;
      expect(meta.issuer).toBe(GATEWAY);
      expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    }
  });

  it('serves internal services over mutual TLS only', async () => {
    for (const port of [8081, 8082, 8091, 8092]) expect(await mtlsGet(port, true)).toBe(200);
    await expect(mtlsGet(8091, false)).rejects.toThrow();
    expect((await fetch(`${GATEWAY}/health/ready`)).status).toBe(200);
  });

  it('lets alice order, keeps bob out of her orders (404), and shows admin everything', async () => {
    const alice = await signIn('alice');
    const bob = await signIn('bob');
    const admin = await signIn('admin');
    const created = await api(alice.access_token, '/api/orders', {
      method: 'POST',
      body: JSON.stringify({ items: [{ name: 'pizza', quantity: 2 }] }),
    });
    expect(created.status).toBe(201);
    const order = (await created.json()) as { id: string };
    expect((await api(alice.access_token, `/api/orders/${order.id}`)).status).toBe(200);
    expect((await api(bob.access_token, `/api/orders/${order.id}`)).status).toBe(404);
    const bobs = (await (await api(bob.access_token, '/api/orders')).json()) as
      { orders?: unknown[] } | unknown[];
    expect(JSON.stringify(bobs)).not.toContain(order.id);
    expect(JSON.stringify(await (await api(admin.access_token, '/api/orders')).json())).toContain(order.id);
    expect(
      (await api(bob.access_token, `/api/orders/${order.id}/cancel`, { method: 'POST', body: '{}' })).status,
    ).toBe(404);
  });

  it('gives the demo CLI, a service account, the order stats and nobody else', async () => {
    const res = await fetch(`${GATEWAY}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('demo-cli:rampart-demo-secret').toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=orders:stats',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    expect((await api(access_token, '/api/orders/stats')).status).toBe(200);
    const alice = await signIn('alice');
    expect((await api(alice.access_token, '/api/orders/stats')).status).toBe(403);
  });

  it('stops honouring a revoked session within seconds, at the gateway and behind it', async () => {
    const alice = await signIn('alice');
    expect((await api(alice.access_token, '/api/accounts/me')).status).toBe(200);
    const revoke = await fetch(`${GATEWAY}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: alice.refresh_token, client_id: 'demo-spa' }).toString(),
    });
    expect(revoke.status).toBe(200);
    const deadline = Date.now() + 15_000;
    let status = 200;
    while (Date.now() < deadline && status === 200) {
      status = (await api(alice.access_token, '/api/accounts/me')).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(401);
  });
});
