/** The revocation deny-list against a real long-poll feed server on port 0. */
import { afterEach, describe, expect, it } from 'vitest';
import { createClientCredentialsSource } from '../client/client-credentials.js';
import { createService } from '../service/create-service.js';
import { captureLogs } from '../test-support/log-capture.js';
import { createDenyList, type DenyList } from './deny-list.js';
import { registerSecurity } from './register-security.js';
import { startFakeIssuer, type FakeIssuer } from './test-support/fake-issuer.js';
import { createTokenVerifier } from './verify-token.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const now = () => Math.floor(Date.now() / 1000);

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function setup(options: { holdMs?: number } = {}): Promise<{ fake: FakeIssuer; denyList: DenyList }> {
  const fake = await startFakeIssuer({ holdMs: options.holdMs ?? 300 });
  cleanups.push(() => fake.close());
  const denyList = createDenyList({
    issuer: fake.issuer,
    tokenSource: createClientCredentialsSource({
      tokenEndpoint: `${fake.url}/token`,
      clientId: 'orders',
      clientSecret: 'orders-secret',
    }),
    backoff: { initialMs: 50, maxMs: 200 },
    minPollIntervalMs: 50,
    requestTimeoutMs: 2000,
    warnAfterMs: 100,
    failAfterMs: 400,
  });
  cleanups.push(() => denyList.stop());
  return { fake, denyList };
}

const principal = (
  extra: Partial<{ tokenId: string; sessionId: string; sub: string; issuedAt: number }> = {},
) => ({
  tokenId: 'j-0',
  sessionId: undefined,
  sub: 'alice',
  issuedAt: now() - 10,
  ...extra,
});

describe('createDenyList', () => {
  it('refuses a revoked token through the service within the feed round trip', async () => {
    const { fake, denyList } = await setup();
    denyList.start();
    const app = await createService({
      name: 'orders',
      env: { PORT: '0' },
      argv: [],
      logDestination: captureLogs(),
    });
    cleanups.push(() => app.close());
    const verifier = createTokenVerifier({
      issuer: fake.issuer,
      audience: 'orders',
      isRevoked: (p) => denyList.isRevoked(p),
    });
    registerSecurity(app, { verifier, denyList });
    app.get('/orders', { config: { auth: {} } }, async () => ({ ok: true }));
    const token = await fake.sign({ jti: 'tok-1' });
    const call = () => app.inject({ url: '/orders', headers: { authorization: `Bearer ${token}` } });
    expect((await call()).statusCode).toBe(200); // now cached as verified
    await until(() => denyList.connected, 'the feed to connect');
    fake.revoke({ type: 'access_token', jti: 'tok-1', exp: now() + 300 });
    await until(() => denyList.isRevoked(principal({ tokenId: 'tok-1' })), 'the revocation to arrive');
    const refused = await call();
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(denyList.lastEventAt).toBeInstanceOf(Date);
  });

  it('revokes sessions, families, and users issued before the revocation', async () => {
    const { fake, denyList } = await setup();
    denyList.start();
    fake.revoke({ type: 'session', sid: 's-1', exp: now() + 300 });
    fake.revoke({ type: 'family', sid: 's-2', exp: now() + 300 });
    fake.revoke({ type: 'user', sub: 'bob', exp: now() + 300, at: now() });
    fake.revoke({ type: 'access_token', jti: 'old', exp: now() - 1 }); // already expired: ignored
    await until(() => denyList.isRevoked(principal({ sub: 'bob' })), 'events');
    expect(denyList.isRevoked(principal({ sessionId: 's-1' }))).toBe(true);
    expect(denyList.isRevoked(principal({ sessionId: 's-2' }))).toBe(true);
    expect(denyList.isRevoked(principal({ sessionId: 's-3' }))).toBe(false);
    expect(denyList.isRevoked(principal({ sub: 'bob', issuedAt: now() + 5 }))).toBe(false); // a fresh login works
    expect(denyList.isRevoked(principal({ tokenId: 'old' }))).toBe(false);
  });

  it('forgets events at their exp', async () => {
    const { denyList } = await setup();
    denyList.apply([{ id: 1, type: 'access_token', jti: 'short', exp: now() + 1 }]);
    expect(denyList.isRevoked(principal({ tokenId: 'short' }))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(denyList.isRevoked(principal({ tokenId: 'short' }))).toBe(false);
  });

  it('reconnects after an outage, catches up from the last id, and reports health', async () => {
    const { fake, denyList } = await setup();
    const check = denyList.healthCheck();
    denyList.start();
    fake.revoke({ type: 'access_token', jti: 'a', exp: now() + 300 });
    await until(() => denyList.isRevoked(principal({ tokenId: 'a' })), 'first event');
    expect(await check.check()).toMatchObject({ status: 'pass', observedValue: 0 });
    await fake.goDown();
    await until(() => !denyList.connected, 'the loss to be noticed');
    await until(() => denyList.lagMs > 450, 'lag to grow');
    expect(await check.check()).toMatchObject({ status: 'fail', observedUnit: 'ms' });
    fake.revoke({ type: 'access_token', jti: 'b', exp: now() + 300 }); // happens while we are away
    const tokenRequests = fake.count('/token');
    const feedRequests = fake.count('/revocations');
    await fake.comeUp();
    await until(() => denyList.isRevoked(principal({ tokenId: 'b' })), 'catch-up');
    expect(denyList.connected).toBe(true);
    expect(await check.check()).toMatchObject({ status: 'pass' });
    expect(fake.count('/token')).toBe(tokenRequests); // the cached service token was reused
    // It caught up with `since`, not from the start: one answer carried only the missed event.
    expect(fake.count('/revocations')).toBeGreaterThan(feedRequests);
    expect(denyList.isRevoked(principal({ tokenId: 'a' }))).toBe(true);
  });

  it('is not ready until it has reached the feed', async () => {
    const { fake, denyList } = await setup();
    await fake.goDown();
    denyList.start();
    const check = denyList.healthCheck();
    await until(() => denyList.lagMs > 450, 'lag to grow');
    expect(await check.check()).toMatchObject({ status: 'fail' });
    await fake.comeUp();
    await until(() => denyList.connected, 'connection');
  });
});
