import { describe, expect, it } from 'vitest';
import { backends } from '../test-support/backends.js';
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
} from '../test-support/harness.js';

async function setup(url: string): Promise<PeopleAuth> {
  const auth = await startPeopleAuth(url);
  await client(auth, { clientId: 'web' });
  await user(auth, { username: 'alice' });
  return auth;
}

describe.each(backends('authorize'))('GET /oauth2/authorize on $name', ({ skip, url }) => {
  it.skipIf(skip)('shows the sign-in form with strict security headers', async () => {
    const auth = await setup(url());
    const browser = new Browser(auth.app);
    const page = await browser.get(authorizeUrl(authorizeParams('web', pkce().challenge)));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self' https://app.example");
    expect(page.body).toContain('<form method="post" action="/login">');
    expect(Object.keys(hiddenFields(page.body)).sort()).toEqual(['csrf', 'interaction']);
    expect(String(browser.cookies.get('rampart_browser'))).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = [page.headers['set-cookie']].flat().join('\n');
    expect(cookie).toMatch(/rampart_browser=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  });

  it.skipIf(skip).each([
    ['a suffix', `${REDIRECT}/evil`],
    ['a userinfo @', 'https://app.example@evil.example/callback'],
    ['a path traversal', 'https://app.example/callback/../evil'],
    ['an encoded path traversal', 'https://app.example/callback/%2e%2e/evil'],
    ['a case change', 'https://APP.example/callback'],
    ['a path case change', 'https://app.example/Callback'],
    ['an extra query', `${REDIRECT}?next=https://evil.example`],
    ['a fragment', `${REDIRECT}#x`],
    ['a trailing slash', `${REDIRECT}/`],
    ['another scheme', 'http://app.example/callback'],
    ['a missing redirect_uri', undefined],
  ])('never redirects to %s: an error page instead', async (_name, redirectUri) => {
    const auth = await setup(url());
    const res = await new Browser(auth.app).get(
      authorizeUrl(authorizeParams('web', pkce().challenge, { redirect_uri: redirectUri })),
    );
    expect(res.status).toBe(400);
    expect(res.location).toBeUndefined();
    expect(res.body).toContain('not registered');
    expect(res.body).not.toContain('evil.example');
  });

  it.skipIf(skip)('shows an error page, never a redirect, for an unknown or missing client', async () => {
    const auth = await setup(url());
    const browser = new Browser(auth.app);
    for (const clientId of ['nope', undefined, 'x'.repeat(500)]) {
      const res = await browser.get(
        authorizeUrl(authorizeParams('web', pkce().challenge, { client_id: clientId })),
      );
      expect(res.status).toBe(400);
      expect(res.location).toBeUndefined();
    }
    const repeated = await browser.get(
      authorizeUrl({
        ...authorizeParams('web', pkce().challenge),
        redirect_uri: [REDIRECT, 'https://evil.example/'],
      }),
    );
    expect(repeated.status).toBe(400);
    expect(repeated.location).toBeUndefined();
    expect(auth.audits().some((a) => a.action === 'authorization.rejected')).toBe(true);
  });

  it.skipIf(skip).each([
    [
      'a missing code_challenge (no PKCE)',
      { code_challenge: undefined, code_challenge_method: undefined },
      'invalid_request',
    ],
    [
      'a missing code_challenge_method (plain by default)',
      { code_challenge_method: undefined },
      'invalid_request',
    ],
    ['the plain method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request'],
    ['response_type=token (implicit)', { response_type: 'token' }, 'unsupported_response_type'],
    ['response_type=code id_token (hybrid)', { response_type: 'code id_token' }, 'unsupported_response_type'],
    ['a missing response_type', { response_type: undefined }, 'invalid_request'],
    ['a scope the client may not ask for', { scope: 'openid admin' }, 'invalid_scope'],
    ['a missing scope', { scope: undefined }, 'invalid_scope'],
    ['a resource the client may not ask for', { resource: 'https://other.example/' }, 'invalid_target'],
    ['a repeated parameter', { scope: ['openid', 'profile'] }, 'invalid_request'],
    ['a request object', { request: 'eyJ.x.y' }, 'request_not_supported'],
    ['an unknown prompt', { prompt: 'maybe' }, 'invalid_request'],
    ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request'],
  ])('redirects %s back with an error, the state and iss', async (_name, extra, error) => {
    const auth = await setup(url());
    const res = await new Browser(auth.app).get(
      authorizeUrl(authorizeParams('web', pkce().challenge, extra)),
    );
    expect(res.status).toBe(303);
    expect(`${res.location!.origin}${res.location!.pathname}`).toBe(REDIRECT);
    expect(res.location!.searchParams.get('error')).toBe(error);
    expect(res.location!.searchParams.get('state')).toBe('st-123');
    expect(res.location!.searchParams.get('iss')).toBe('http://auth.test');
    expect(res.location!.searchParams.get('code')).toBeNull();
  });

  it.skipIf(skip)('refuses a client without the authorization_code grant', async () => {
    const auth = await setup(url());
    await client(auth, { clientId: 'svc', grantTypes: ['client_credentials'] });
    const res = await new Browser(auth.app).get(authorizeUrl(authorizeParams('svc', pkce().challenge)));
    expect(res.location?.searchParams.get('error')).toBe('unauthorized_client');
  });

  it.skipIf(skip)('escapes a state carrying markup (no XSS) and returns it unchanged', async () => {
    const auth = await setup(url());
    const state = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const browser = new Browser(auth.app);
    const page = await browser.get(authorizeUrl(authorizeParams('web', pkce().challenge, { state })));
    expect(page.body).not.toContain('<script>');
    expect(page.body).not.toContain('onerror=alert');
    const done = await browser.post('/login', {
      ...hiddenFields(page.body),
      username: 'alice',
      password: 'correct horse battery',
    });
    expect(done.location?.searchParams.get('state')).toBe(state);
    // A markup username is escaped when the form is shown again.
    const again = await browser.get(
      authorizeUrl(authorizeParams('web', pkce().challenge, { prompt: 'login' })),
    );
    const failed = await browser.post('/login', {
      ...hiddenFields(again.body),
      username: '<b>x</b>"',
      password: 'nope-nope',
    });
    expect(failed.body).not.toContain('<b>x</b>');
    expect(failed.body).toContain('&lt;b&gt;x&lt;/b&gt;&quot;');
  });

  it.skipIf(skip)('answers prompt=none with login_required when nobody is signed in', async () => {
    const auth = await setup(url());
    const res = await new Browser(auth.app).get(
      authorizeUrl(authorizeParams('web', pkce().challenge, { prompt: 'none' })),
    );
    expect(res.location?.searchParams.get('error')).toBe('login_required');
  });

  it.skipIf(skip)(
    'reuses the login session: no form the second time, a form again with prompt=login',
    async () => {
      const auth = await setup(url());
      const browser = new Browser(auth.app);
      const first = await signIn(browser, authorizeParams('web', pkce().challenge), { username: 'alice' });
      expect(first.location?.searchParams.get('code')).toBeTruthy();
      const cookie = [first.headers['set-cookie']].flat().join('\n');
      expect(cookie).toMatch(
        /rampart_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/,
      );
      const second = await browser.get(
        authorizeUrl(authorizeParams('web', pkce().challenge, { prompt: 'none' })),
      );
      expect(second.status).toBe(303);
      expect(second.location?.searchParams.get('code')).toBeTruthy();
      expect(second.location?.searchParams.get('code')).not.toBe(first.location?.searchParams.get('code'));
      const forced = await browser.get(
        authorizeUrl(authorizeParams('web', pkce().challenge, { prompt: 'login' })),
      );
      expect(forced.status).toBe(200);
      expect(forced.body).toContain('name="password"');
      const aged = await browser.get(
        authorizeUrl(authorizeParams('web', pkce().challenge, { max_age: '0' })),
      );
      // auth_time is in whole seconds: max_age=0 asks for a fresh login unless it happened this second.
      expect([200, 303]).toContain(aged.status);
    },
  );
});
