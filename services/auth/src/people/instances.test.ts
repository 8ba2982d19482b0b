/** Two auth instances on one database and one shared state behave as one; cookies follow the issuer. */
import { describe, expect, it } from 'vitest';
import { openSharedState } from '@rampart/store';
import { backends } from './test-support/backends.js';
import {
  Browser,
  authorizeParams,
  authorizeUrl,
  client,
  hiddenFields,
  pkce,
  startPeopleAuth,
  user,
} from './test-support/harness.js';

describe.each(backends('instances'))('people across instances on $name', ({ skip, url }) => {
  it.skipIf(skip)(
    'a form loaded from one instance is accepted by the other, and so is the session',
    async () => {
      const shared = await openSharedState({ url: undefined, prefix: 'auth' });
      try {
        const databaseUrl = url();
        const a = await startPeopleAuth(databaseUrl, { sharedState: shared });
        const b = await startPeopleAuth(databaseUrl, { sharedState: shared });
        await client(a, { clientId: 'web' });
        await user(a, { username: 'alice' });
        const onA = new Browser(a.app);
        const page = await onA.get(authorizeUrl(authorizeParams('web', pkce().challenge)));
        const onB = new Browser(b.app);
        for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
        const done = await onB.post('/login', {
          ...hiddenFields(page.body),
          username: 'alice',
          password: 'correct horse battery',
        });
        expect(done.location?.searchParams.get('code')).toBeTruthy();
        for (const [name, value] of onB.cookies) onA.cookies.set(name, value);
        const again = await onA.get(
          authorizeUrl(authorizeParams('web', pkce().challenge, { prompt: 'none' })),
        );
        expect(again.location?.searchParams.get('code')).toBeTruthy();
      } finally {
        await shared.close();
      }
    },
  );

  it.skipIf(skip)('accepts a form-encoded POST authorization request (OIDC Core §3.1.2.1)', async () => {
    const auth = await startPeopleAuth(url());
    await client(auth, { clientId: 'web' });
    const browser = new Browser(auth.app);
    const page = await browser.post('/oauth2/authorize', authorizeParams('web', pkce().challenge));
    expect(page.status).toBe(200);
    expect(Object.keys(hiddenFields(page.body)).sort()).toEqual(['csrf', 'interaction']);
  });

  it.skipIf(skip)('marks the cookies Secure and scopes them to the path of an https issuer', async () => {
    const auth = await startPeopleAuth(url(), { env: { RAMPART_AUTH_ISSUER: 'https://id.example/auth' } });
    await client(auth, { clientId: 'web' });
    const page = await new Browser(auth.app).get(authorizeUrl(authorizeParams('web', pkce().challenge)));
    expect([page.headers['set-cookie']].flat().join('\n')).toMatch(
      /^rampart_browser=[A-Za-z0-9_-]{43}; Path=\/auth; HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(page.body).toContain('action="/auth/login"');
    expect(page.headers['strict-transport-security']).toBeDefined();
  });
});
