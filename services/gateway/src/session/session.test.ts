/**
 * The BFF against the real authorization server (`services/auth`): login with code + PKCE, the
 * session cookie, the access token relayed upstream, one refresh under concurrency, CSRF, logout
 * with revocation.
 */
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClient, backends, startAuth, type TestAuth } from '../../../auth/src/test-support/harness.js';
import { startEchoUpstream, type EchoUpstream } from '../test-support/echo-upstream.js';
import { startGateway, type Harness } from '../test-support/gateway-harness.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const [sqlite] = backends('gateway-bff');
let auth: TestAuth;
let up: EchoUpstream;
let gw: Harness;
let issuer: string;
let clientSecret: string;

// The auth harness closes its servers after each test, so each test gets a fresh pair.
beforeEach(async () => {
  const authPort = await freePort();
  issuer = `http://127.0.0.1:${authPort}`;
  auth = await startAuth(sqlite!.url(), {
    env: { PORT: String(authPort), HOST: '127.0.0.1', RAMPART_AUTH_ISSUER: issuer },
  });
  await auth.app.start({ handleSignals: false });
  up = await startEchoUpstream('orders');
  const gwPort = await freePort();
  const publicUrl = `http://127.0.0.1:${gwPort}`;
  const { secret } = await addClient(auth.app, {
    clientId: 'gateway',
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    redirectUris: [`${publicUrl}/auth/callback`],
  });
  clientSecret = secret!;
  auth.users.add({ id: 'alice', roles: ['customer'], email: 'alice@example.test' });
  gw = await startGateway([{ prefix: '/api/orders', rewritePrefix: '/orders', upstreams: [up.url] }], {
    PORT: String(gwPort),
    RAMPART_GATEWAY_ISSUER: issuer,
    RAMPART_GATEWAY_CLIENT_SECRET: secret!,
    RAMPART_GATEWAY_REVOCATION_FEED: 'false',
    RAMPART_GATEWAY_SESSION_PUBLIC_URL: publicUrl,
  });
}, 60_000);

afterEach(async () => {
  await gw?.close();
  await up?.close();
});

/** Runs the login as a browser would, the authorization server's login page replaced by a direct code. */
async function login(): Promise<string> {
  const start = await fetch(`${gw.url}/auth/login?returnTo=/app`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin).toBe(issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  const loginCookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const code = await auth.app.authContext.createAuthorizationCode({
    clientId: 'gateway',
    userId: 'alice',
    redirectUri: authorize.searchParams.get('redirect_uri')!,
    codeChallenge: authorize.searchParams.get('code_challenge')!,
    codeChallengeMethod: 'S256',
    scope: authorize.searchParams.get('scope')!,
    nonce: authorize.searchParams.get('nonce')!,
    authTime: Math.floor(Date.now() / 1000),
    sessionId: `s-${Math.random()}`,
  });
  const state = authorize.searchParams.get('state')!;
  const callback = await fetch(
    `${gw.url}/auth/callback?code=${encodeURIComponent(code)}&state=${state}&iss=${encodeURIComponent(issuer)}`,
    { redirect: 'manual', headers: { cookie: loginCookie } },
  );
  expect(callback.status).toBe(303);
  expect(callback.headers.get('location')).toBe('/app');
  const setCookie = callback.headers.getSetCookie().find((c) => c.startsWith('rampart_session='))!;
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Lax/);
  expect(setCookie).not.toMatch(/Secure/); // http here
  return setCookie.split(';')[0]!;
}

describe('browser sessions (BFF)', () => {
  it('logs in with code + PKCE and relays the access token upstream; the cookie never reaches it', async () => {
    const cookie = await login();
    const res = await fetch(`${gw.url}/api/orders/1`, { headers: { cookie: `${cookie}; theme=dark` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { url: string; headers: Record<string, string> };
    expect(body.url).toBe('/orders/1');
    expect(body.headers.authorization).toMatch(/^Bearer ey/);
    expect(body.headers.cookie).toBe('theme=dark');
  });

  it('refuses a callback whose state was not started in this browser', async () => {
    const start = await fetch(`${gw.url}/auth/login`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state');
    const res = await fetch(`${gw.url}/auth/callback?code=x&state=${state}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
  });

  it('requires the CSRF token for unsafe cookie-authenticated requests', async () => {
    const cookie = await login();
    expect((await fetch(`${gw.url}/api/orders`, { method: 'POST', headers: { cookie } })).status).toBe(403);
    const session = (await (await fetch(`${gw.url}/auth/session`, { headers: { cookie } })).json()) as {
      csrfToken: string;
    };
    const ok = await fetch(`${gw.url}/api/orders`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(ok.status).toBe(200);
    const crossSite = await fetch(`${gw.url}/api/orders`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': session.csrfToken, origin: 'https://evil.test' },
    });
    expect(crossSite.status).toBe(403);
  });

  it('refreshes once for many concurrent requests shortly before expiry, never relaying the old token', async () => {
    const cookie = await login();
    const id = cookie.split('=')[1]!;
    const store = gw.app.sessions!.store;
    const before = (await store.get(id))!;
    // Make the token due for refresh (inside the skew window).
    await store.touch(id, { ...before, accessExpiresAt: Math.floor(Date.now() / 1000) + 5 });
    const refreshesBefore = (await gw.app.gatewayMetrics.sessionRefreshes.get()).values
      .filter((v) => v.labels.outcome === 'success')
      .reduce((n, v) => n + v.value, 0);
    up.received.length = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${gw.url}/api/orders/1`, { headers: { cookie } }).then((r) => r.status),
      ),
    );
    expect(results.every((s) => s === 200)).toBe(true);
    const refreshesAfter = (await gw.app.gatewayMetrics.sessionRefreshes.get()).values
      .filter((v) => v.labels.outcome === 'success')
      .reduce((n, v) => n + v.value, 0);
    expect(refreshesAfter - refreshesBefore).toBe(1);
    const relayed = new Set(up.received.map((r) => r.headers.authorization));
    expect(relayed.size).toBe(1);
    expect([...relayed][0]).not.toBe(`Bearer ${before.accessToken}`);
    const after = (await store.get(id))!;
    expect(after.refreshToken).not.toBe(before.refreshToken); // rotated
  });

  it('logs out: the session ends, the cookie is cleared, the refresh token is revoked', async () => {
    const cookie = await login();
    const id = cookie.split('=')[1]!;
    const record = (await gw.app.sessions!.store.get(id))!;
    const noCsrf = await fetch(`${gw.url}/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(noCsrf.status).toBe(403);
    const res = await fetch(`${gw.url}/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': record.csrf },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await fetch(`${gw.url}/api/orders/1`, { headers: { cookie } })).status).toBe(401);
    // The refresh token no longer works at the authorization server.
    const refresh = await fetch(`${issuer}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`gateway:${clientSecret}`).toString('base64')}`,
      },
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(record.refreshToken ?? '')}`,
    });
    expect(refresh.status).toBeGreaterThanOrEqual(400);
  });
});
