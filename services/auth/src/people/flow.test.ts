/** End to end through the token side: authorize → login form → code → /oauth2/token → UserInfo, logout, disable. */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { backends } from './test-support/backends.js';
import {
  Browser,
  REDIRECT,
  authorizeParams,
  authorizeUrl,
  client,
  hiddenFields,
  pkce,
  signIn,
  startPeopleAuth,
  user,
  type PeopleAuth,
} from './test-support/harness.js';

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function token(auth: PeopleAuth, fields: Record<string, string>, authorization: string) {
  const res = await auth.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
  });
  return { status: res.statusCode, body: res.json<Record<string, string>>() };
}

/** Signs alice in through the form and exchanges the code; returns the tokens and the browser. */
async function loginFlow(auth: PeopleAuth, secret: string, scope = 'openid profile email') {
  const browser = new Browser(auth.app);
  const { verifier, challenge } = pkce();
  const done = await signIn(browser, authorizeParams('web', challenge, { scope }), { username: 'alice' });
  const code = done.location?.searchParams.get('code');
  expect(code).toBeTruthy();
  const tokens = await token(
    auth,
    { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, code_verifier: verifier },
    basic('web', secret),
  );
  expect(tokens.status).toBe(200);
  return { browser, tokens: tokens.body };
}

async function userinfo(auth: PeopleAuth, accessToken: string | undefined, method: 'GET' | 'POST' = 'GET') {
  const res = await auth.app.inject({
    method,
    url: '/userinfo',
    headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
  });
  return {
    status: res.statusCode,
    body: res.json<Record<string, unknown>>(),
    challenge: res.headers['www-authenticate'],
  };
}

describe.each(backends('flow'))('the people flow on $name', ({ skip, url }) => {
  async function setup() {
    const auth = await startPeopleAuth(url());
    const { secret } = await client(auth, { clientId: 'web' });
    const alice = await user(auth, {
      username: 'alice',
      name: 'Alice Liddell',
      email: 'alice@example.com',
      roles: ['customer'],
    });
    return { auth, secret: secret!, alice };
  }

  it.skipIf(skip)('authorize → login → code → token: tokens for the person who signed in', async () => {
    const { auth, secret, alice } = await setup();
    const { tokens } = await loginFlow(auth, secret);
    const jwks = createLocalJWKSet((await auth.app.inject({ url: '/oauth2/jwks' })).json());
    const at = await jwtVerify(tokens.access_token!, jwks, { issuer: 'http://auth.test', typ: 'at+jwt' });
    expect(at.payload).toMatchObject({ sub: alice.id, client_id: 'web', roles: ['customer'] });
    expect(at.payload.sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const id = await jwtVerify(tokens.id_token!, jwks, { issuer: 'http://auth.test', audience: 'web' });
    expect(id.payload).toMatchObject({ sub: alice.id, nonce: 'n-456' });
    expect(tokens.refresh_token).toBeTruthy();
  });

  it.skipIf(skip)('UserInfo answers claims by scope, and refuses what it must (RFC 6750 §3.1)', async () => {
    const { auth, secret, alice } = await setup();
    const full = await loginFlow(auth, secret, 'openid profile email');
    expect(await userinfo(auth, full.tokens.access_token)).toMatchObject({
      status: 200,
      body: { sub: alice.id, preferred_username: 'alice', name: 'Alice Liddell', email: 'alice@example.com' },
    });
    expect((await userinfo(auth, full.tokens.access_token, 'POST')).status).toBe(200);
    const narrow = await loginFlow(auth, secret, 'openid');
    expect((await userinfo(auth, narrow.tokens.access_token)).body).toEqual({ sub: alice.id });
    const noOpenid = await loginFlow(auth, secret, 'profile');
    const refused = await userinfo(auth, noOpenid.tokens.access_token);
    expect(refused.status).toBe(403);
    expect(refused.challenge).toContain('error="insufficient_scope"');
    const missing = await userinfo(auth, undefined);
    expect(missing.status).toBe(401);
    expect(missing.challenge).toBe('Bearer realm="http://auth.test"');
    const forged = await userinfo(auth, `${full.tokens.access_token!.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.challenge).toContain('error="invalid_token"');
    // The ID token is not an access token.
    expect((await userinfo(auth, full.tokens.id_token)).status).toBe(401);
  });

  it.skipIf(skip)(
    'logout with id_token_hint ends the session, revokes its refresh tokens and returns with state',
    async () => {
      const { auth, secret } = await setup();
      const { browser, tokens } = await loginFlow(auth, secret);
      const res = await browser.get(
        `/logout?${new URLSearchParams({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: REDIRECT, state: 'bye' }).toString()}`,
      );
      expect(res.status).toBe(303);
      expect(res.location?.href).toBe(`${REDIRECT}?state=bye`);
      expect(browser.cookies.has('rampart_session')).toBe(false);
      const refreshed = await token(
        auth,
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! },
        basic('web', secret),
      );
      expect(refreshed.body.error).toBe('invalid_grant');
      expect((await userinfo(auth, tokens.access_token)).status).toBe(401);
      // The next authorization needs the form again.
      const again = await browser.get(
        authorizeUrl(authorizeParams('web', pkce().challenge, { prompt: 'none' })),
      );
      expect(again.location?.searchParams.get('error')).toBe('login_required');
      expect(auth.audits().some((a) => a.action === 'logout')).toBe(true);
    },
  );

  it.skipIf(skip)('logout without a hint asks the person to confirm (CSRF-bound form)', async () => {
    const { auth, secret } = await setup();
    const { browser } = await loginFlow(auth, secret);
    const page = await browser.get('/logout');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sign out?');
    expect(browser.cookies.has('rampart_session')).toBe(true);
    const forged = await browser.post('/logout', { csrf: 'x'.repeat(43) });
    expect(forged.status).toBe(200);
    expect(browser.cookies.has('rampart_session')).toBe(true);
    const confirm = await browser.get('/logout');
    const done = await browser.post('/logout', hiddenFields(confirm.body));
    expect(done.status).toBe(200);
    expect(done.body).toContain('You are signed out.');
    expect(browser.cookies.has('rampart_session')).toBe(false);
  });

  it.skipIf(skip).each([
    ['an unregistered post_logout_redirect_uri', { post_logout_redirect_uri: 'https://evil.example/' }],
    ['a redirect without a client', { post_logout_redirect_uri: REDIRECT, client_id: 'nope' }],
    ['a forged id_token_hint', { id_token_hint: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }],
  ])('refuses %s with a page, never a redirect', async (_name, params) => {
    const { auth } = await setup();
    const res = await new Browser(auth.app).get(
      `/logout?${new URLSearchParams({ client_id: 'web', ...params }).toString()}`,
    );
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
  });

  it.skipIf(skip)(
    'disabling a user revokes its tokens, ends its sessions and puts it on the feed',
    async () => {
      const { auth, secret, alice } = await setup();
      const admin = await user(auth, { username: 'root', roles: ['admin'] });
      expect(admin.roles).toEqual(['admin']);
      const { browser, tokens } = await loginFlow(auth, secret);
      const adminLogin = await (async () => {
        const b = new Browser(auth.app);
        const { verifier, challenge } = pkce();
        const done = await signIn(b, authorizeParams('web', challenge), { username: 'root' });
        return token(
          auth,
          {
            grant_type: 'authorization_code',
            code: done.location!.searchParams.get('code')!,
            redirect_uri: REDIRECT,
            code_verifier: verifier,
          },
          basic('web', secret),
        );
      })();
      const res = await auth.app.inject({
        method: 'POST',
        url: `/admin/users/${alice.id}/disable`,
        headers: { authorization: `Bearer ${adminLogin.body.access_token}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: alice.id, disabled: true });
      const refreshed = await token(
        auth,
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! },
        basic('web', secret),
      );
      expect(refreshed.body.error).toBe('invalid_grant');
      expect((await userinfo(auth, tokens.access_token)).status).toBe(401);
      const prompt = await browser.get(
        authorizeUrl(authorizeParams('web', pkce().challenge, { prompt: 'none' })),
      );
      expect(prompt.location?.searchParams.get('error')).toBe('login_required');
      const feed = await auth.app.authContext.revocations.since(0);
      expect(feed.some((e) => e.kind === 'user' && e.value === alice.id)).toBe(true);
      expect(auth.audits().find((a) => a.action === 'admin.user.disable')).toMatchObject({
        resource: `user:${alice.id}`,
      });
    },
  );
});
