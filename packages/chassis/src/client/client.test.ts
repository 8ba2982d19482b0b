/**
 * The service client against real servers on port 0: a mutual-TLS resource server secured with
 * `registerSecurity`, a real token endpoint, and flaky/slow endpoints for the resilience policies.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerSecurity } from '../security/register-security.js';
import { startFakeIssuer, type FakeIssuer } from '../security/test-support/fake-issuer.js';
import { createTokenVerifier } from '../security/verify-token.js';
import { ensureDevPki, loadTlsMaterial, type TlsMaterial } from '../tls/dev-pki.js';
import { serverTlsOptions } from '../tls/server-tls-options.js';
import { createClientCredentialsSource } from './client-credentials.js';
import { ServiceClientError } from './service-client-error.js';
import { createServiceClient, type ServiceClient } from './service-client.js';

let fake: FakeIssuer;
let accounts: FastifyInstance;
let accountsUrl: string;
let ordersTls: TlsMaterial;
const seen: { requestId?: string; path: string }[] = [];
let flaky = 0;

beforeAll(async () => {
  fake = await startFakeIssuer({ audience: 'accounts' });
  fake.clients.set('orders', 'orders-secret');
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-client-'));
  await ensureDevPki(dir, ['orders', 'accounts']);
  ordersTls = await loadTlsMaterial(dir, 'orders');
  accounts = fastify({ ...serverTlsOptions(await loadTlsMaterial(dir, 'accounts')) });
  registerSecurity(accounts, {
    verifier: createTokenVerifier({ issuer: fake.issuer, audience: 'accounts' }),
  });
  accounts.addHook('onRequest', async (request) => {
    seen.push({ path: request.url, requestId: request.headers['x-request-id'] as string | undefined });
  });
  accounts.get('/accounts/me', { config: { auth: {} } }, async (request) => ({
    sub: request.principal?.sub,
  }));
  accounts.get('/internal/stats', { config: { auth: { kind: 'service' } } }, async (request) => ({
    client: request.principal?.clientId,
  }));
  accounts.get('/flaky', { config: { public: true } }, async (_request, reply) =>
    ++flaky % 3 === 0 ? { ok: true } : reply.code(503).send({ no: 1 }),
  );
  accounts.post(
    '/flaky',
    { config: { public: true } },
    async (_request, reply) => (++flaky, reply.code(503).send({ no: 1 })),
  );
  accounts.get(
    '/slow',
    { config: { public: true } },
    async () => new Promise((resolve) => setTimeout(() => resolve({ late: true }), 500)),
  );
  accounts.get(
    '/broken',
    { config: { public: true } },
    async (_request, reply) => (++flaky, reply.code(500).send({})),
  );
  await accounts.listen({ port: 0, host: '127.0.0.1' });
  accountsUrl = `https://localhost:${(accounts.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await accounts.close();
  await fake.close();
});

const clients: ServiceClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  flaky = 0;
});
function client(options: Partial<Parameters<typeof createServiceClient>[0]> = {}): ServiceClient {
  const c = createServiceClient({
    name: 'accounts',
    baseUrl: accountsUrl,
    tls: ordersTls,
    tokenSource: 'propagate',
    ...options,
  });
  clients.push(c);
  return c;
}

describe('createClientCredentialsSource', () => {
  it('makes one token request for 50 concurrent callers (single-flight)', async () => {
    const before = fake.count('/token');
    const source = createClientCredentialsSource({
      tokenEndpoint: `${fake.url}/token`,
      clientId: 'orders',
      clientSecret: 'orders-secret',
    });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => source.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(fake.count('/token') - before).toBe(1);
    expect(source.requests).toBe(1);
    await source.getToken();
    expect(fake.count('/token') - before).toBe(1);
  });

  it('refreshes shortly before expiry in the background, keeping the current token meanwhile', async () => {
    fake.tokenLifetimeSec = 2;
    try {
      const source = createClientCredentialsSource({
        tokenEndpoint: `${fake.url}/token`,
        clientId: 'orders',
        clientSecret: 'orders-secret',
        refreshSkewSec: 1.5,
      });
      const first = await source.getToken();
      await new Promise((resolve) => setTimeout(resolve, 600)); // now inside the refresh window
      const during = await Promise.all(Array.from({ length: 10 }, () => source.getToken()));
      expect(during.every((t) => t === first)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(source.requests).toBe(2);
      expect(await source.getToken()).not.toBe(first);
    } finally {
      fake.tokenLifetimeSec = 300;
    }
  });

  it('reports token endpoint errors and does not cache them', async () => {
    const source = createClientCredentialsSource({
      tokenEndpoint: `${fake.url}/token`,
      clientId: 'orders',
      clientSecret: 'wrong',
    });
    await expect(source.getToken()).rejects.toMatchObject({
      name: 'TokenEndpointError',
      status: 401,
      error: 'invalid_client',
    });
    await expect(source.getToken()).rejects.toThrow();
    expect(source.requests).toBe(2);
  });
});

describe('createServiceClient', () => {
  it('propagates the caller’s token and request id over mutual TLS', async () => {
    const token = await fake.sign({ sub: 'alice', aud: 'accounts' });
    const principal = await createTokenVerifier({ issuer: fake.issuer, audience: 'accounts' }).verify(token);
    const response = await client().get('/accounts/me', { principal, requestId: 'req-42' });
    expect(response).toMatchObject({ status: 200, body: { sub: 'alice' } });
    expect(seen.at(-1)).toEqual({ path: '/accounts/me', requestId: 'req-42' });
  });

  it('refuses to propagate without a principal', async () => {
    await expect(client().get('/accounts/me')).rejects.toMatchObject({ code: 'no_principal' });
  });

  it('uses its own client-credentials token, fetched once for 50 concurrent calls', async () => {
    const before = fake.count('/token');
    const source = createClientCredentialsSource({
      tokenEndpoint: `${fake.url}/token`,
      clientId: 'orders',
      clientSecret: 'orders-secret',
      audience: 'accounts',
    });
    const c = client({ tokenSource: source });
    const responses = await Promise.all(Array.from({ length: 50 }, () => c.get('/internal/stats')));
    expect(
      responses.every((r) => r.status === 200 && (r.body as { client: string }).client === 'orders'),
    ).toBe(true);
    expect(fake.count('/token') - before).toBe(1);
  });

  it('retries idempotent calls with backoff, never non-idempotent ones', async () => {
    const c = client({
      tokenSource: 'none',
      retries: { retries: 2, initialDelayMs: 5, maxDelayMs: 20 },
      breaker: false,
    });
    expect(await c.get('/flaky')).toMatchObject({ status: 200, body: { ok: true } });
    expect(flaky).toBe(3);
    flaky = 0;
    expect((await c.post('/flaky', {})).status).toBe(503);
    expect(flaky).toBe(1);
  });

  it('times out a slow peer', async () => {
    const c = client({ tokenSource: 'none', timeoutMs: 100, retries: false });
    await expect(c.get('/slow')).rejects.toMatchObject({ name: 'ServiceClientError', code: 'timeout' });
  });

  it('opens the circuit after consecutive failures and fails fast', async () => {
    const c = client({
      tokenSource: 'none',
      retries: false,
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
    });
    for (let i = 0; i < 3; i++) expect((await c.get('/broken')).status).toBe(500);
    const error = await c.get('/broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceClientError);
    expect((error as ServiceClientError).code).toBe('circuit_open');
    expect(flaky).toBe(3);
  });

  it('refuses a peer whose certificate another CA signed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rampart-client-other-'));
    await ensureDevPki(dir, ['orders']);
    const c = client({ tokenSource: 'none', tls: await loadTlsMaterial(dir, 'orders'), retries: false });
    await expect(c.get('/flaky')).rejects.toMatchObject({ code: 'network' });
  });
});
