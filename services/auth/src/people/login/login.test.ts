import { describe, expect, it } from 'vitest';
import { backends } from '../test-support/backends.js';
import {
  Browser,
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
import { disableUser } from '../../users/index.js';
import { LoginThrottle } from './throttle.js';
import { usernameKey } from '../../users/tables.js';

async function setup(url: string): Promise<PeopleAuth> {
  const auth = await startPeopleAuth(url);
  await client(auth, { clientId: 'web' });
  await client(auth, { clientId: 'partner', name: 'Partner <App>', firstParty: false });
  await user(auth, { username: 'alice', name: 'Alice' });
  return auth;
}

async function openForm(browser: Browser, clientId = 'web') {
  const page = await browser.get(authorizeUrl(authorizeParams(clientId, pkce().challenge)));
  expect(page.status).toBe(200);
  return hiddenFields(page.body);
}

describe.each(backends('login'))('POST /login on $name', ({ skip, url }) => {
  it.skipIf(skip)(
    'signs in and redirects with code, state and iss (RFC 9207) for a first-party client',
    async () => {
      const auth = await setup(url());
      const browser = new Browser(auth.app);
      const done = await signIn(browser, authorizeParams('web', pkce().challenge), { username: 'ALICE' });
      expect(done.status).toBe(303);
      expect(done.location?.origin).toBe('https://app.example');
      expect(done.location?.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(done.location?.searchParams.get('state')).toBe('st-123');
      expect(done.location?.searchParams.get('iss')).toBe('http://auth.test');
      expect(browser.cookies.get('rampart_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(auth.audits().find((a) => a.action === 'login.success')?.outcome).toBe('success');
    },
  );

  it.skipIf(skip)('refuses a missing or wrong CSRF token, another browser, and a replayed form', async () => {
    const auth = await setup(url());
    const browser = new Browser(auth.app);
    const fields = await openForm(browser);
    const credentials = { username: 'alice', password: 'correct horse battery' };
    const missing = await browser.post('/login', { interaction: fields.interaction!, ...credentials });
    expect(missing.status).toBe(403);
    const wrong = await browser.post('/login', { ...fields, csrf: 'A'.repeat(43), ...credentials });
    expect(wrong.status).toBe(403);
    // The right token from a browser that did not load the form (a cross-site POST).
    const other = new Browser(auth.app);
    await other.get(authorizeUrl(authorizeParams('web', pkce().challenge)));
    const crossSite = await other.post('/login', { ...fields, ...credentials });
    expect(crossSite.status).toBe(403);
    const noCookie = await new Browser(auth.app).post('/login', { ...fields, ...credentials });
    expect(noCookie.status).toBe(403);
    for (const res of [missing, wrong, crossSite, noCookie]) {
      expect(res.location).toBeUndefined();
      expect(res.headers['set-cookie'] ?? '').not.toContain('rampart_session');
    }
    const ok = await browser.post('/login', { ...fields, ...credentials });
    expect(ok.status).toBe(303);
    // The interaction is single-use.
    const replay = await browser.post('/login', { ...fields, ...credentials });
    expect(replay.status).toBe(403);
    expect(auth.audits().filter((a) => a.action === 'login.rejected')).toHaveLength(5);
  });

  it.skipIf(skip)('answers unknown user, wrong password and disabled user the same way', async () => {
    const auth = await setup(url());
    const bob = await user(auth, { username: 'bob' });
    await disableUser(auth.app.authContext.db, bob.id, { revokeUserTokens: async () => undefined });
    const answers = [];
    for (const [username, password] of [
      ['alice', 'wrong password'],
      ['nobody', 'correct horse battery'],
      ['bob', 'correct horse battery'],
    ] as const) {
      const browser = new Browser(auth.app);
      const fields = await openForm(browser);
      const res = await browser.post('/login', { ...fields, username, password });
      answers.push({
        status: res.status,
        // The page differs only in the hidden tokens and the echoed username.
        body: res.body.replace(/value="[^"]*"/g, 'value=""'),
        cookies: res.headers['set-cookie'],
      });
    }
    expect(answers[0]!.status).toBe(401);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]!.body).toContain('Incorrect username or password.');
    const failures = auth.audits().filter((a) => a.action === 'login.failure');
    expect(failures.map((a) => a.details?.reason)).toEqual(['wrong_password', 'unknown_user', 'disabled']);
  });

  it.skipIf(skip)('throttles per account with a growing delay, for unknown accounts too', async () => {
    const auth = await setup(url());
    const shared = auth.app.authContext.shared;
    for (const username of ['alice', 'ghost']) {
      const browser = new Browser(auth.app);
      const fields = await openForm(browser);
      const attempt = () => browser.post('/login', { ...fields, username, password: 'wrong password' });
      for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
      const waits: number[] = [];
      for (let i = 0; i < 4; i++) {
        expect((await attempt()).status).toBe(401); // allowed once per delay…
        const throttled = await attempt(); // …then refused until it passes
        expect(throttled.status).toBe(429);
        expect(throttled.body).toContain('Too many sign-in attempts');
        waits.push(Number(throttled.headers['retry-after']));
        // Stand in for waiting out the delay.
        await shared.delete(LoginThrottle.gateKey('acct', usernameKey(username)));
      }
      expect(waits).toEqual([1, 2, 4, 8]);
    }
    // The right password also waits while the account is throttled (no oracle), then works.
    const browser = new Browser(auth.app);
    const fields = await openForm(browser);
    await browser.post('/login', { ...fields, username: 'alice', password: 'wrong password' });
    const blocked = await browser.post('/login', {
      ...fields,
      username: 'alice',
      password: 'correct horse battery',
    });
    expect(blocked.status).toBe(429);
    await shared.delete(LoginThrottle.gateKey('acct', 'alice'));
    const ok = await browser.post('/login', {
      ...fields,
      username: 'alice',
      password: 'correct horse battery',
    });
    expect(ok.status).toBe(303);
    expect(auth.audits().some((a) => a.action === 'login.throttled')).toBe(true);
  });

  it.skipIf(skip)('shows consent for a third-party client, remembers it, and honours a denial', async () => {
    const auth = await setup(url());
    const browser = new Browser(auth.app);
    const page = await signIn(browser, authorizeParams('partner', pkce().challenge), { username: 'alice' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Allow access?');
    expect(page.body).toContain('Partner &lt;App&gt;');
    expect(page.body).not.toContain('Partner <App>');
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    const fields = hiddenFields(page.body);
    // Consent needs the form's CSRF token too.
    expect(
      (await browser.post('/consent', { ...fields, csrf: 'x'.repeat(43), decision: 'allow' })).status,
    ).toBe(403);
    const allowed = await browser.post('/consent', { ...fields, decision: 'allow' });
    expect(allowed.status).toBe(303);
    expect(allowed.location?.searchParams.get('code')).toBeTruthy();
    // Remembered: the next request skips the page…
    const again = await browser.get(authorizeUrl(authorizeParams('partner', pkce().challenge)));
    expect(again.location?.searchParams.get('code')).toBeTruthy();
    // …unless it asks for more, or for prompt=consent; a denial goes back as access_denied.
    const more = await browser.get(
      authorizeUrl(authorizeParams('partner', pkce().challenge, { scope: 'openid email' })),
    );
    expect(more.body).toContain('See your email address');
    const denied = await browser.post('/consent', { ...hiddenFields(more.body), decision: 'deny' });
    expect(denied.location?.searchParams.get('error')).toBe('access_denied');
    expect(denied.location?.searchParams.get('state')).toBe('st-123');
    const none = await browser.get(
      authorizeUrl(authorizeParams('partner', pkce().challenge, { scope: 'openid email', prompt: 'none' })),
    );
    expect(none.location?.searchParams.get('error')).toBe('consent_required');
    expect(auth.audits().map((a) => a.action)).toEqual(
      expect.arrayContaining(['consent.granted', 'consent.denied']),
    );
  });

  it.skipIf(skip)('skips consent for a first-party client', async () => {
    const auth = await setup(url());
    const done = await signIn(new Browser(auth.app), authorizeParams('web', pkce().challenge), {
      username: 'alice',
    });
    expect(done.status).toBe(303);
    expect(done.body).not.toContain('Allow access?');
  });

  it.skipIf(skip)('re-renders the form from GET /login, and explains a missing interaction', async () => {
    const auth = await setup(url());
    const browser = new Browser(auth.app);
    const fields = await openForm(browser);
    const page = await browser.get(`/login?interaction=${fields.interaction}`);
    expect(page.status).toBe(200);
    expect(hiddenFields(page.body)).toEqual(fields);
    expect((await browser.get('/login')).status).toBe(400);
    expect((await new Browser(auth.app).get(`/login?interaction=${fields.interaction}`)).status).toBe(400);
  });
});
