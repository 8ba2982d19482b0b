import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  REDIRECT,
  addClient,
  backends,
  form,
  newCode,
  startAuth,
  userGrantSetup,
  type TestAuth,
} from '../../test-support/harness.js';

async function login(auth: TestAuth, authorization: string, scope?: string) {
  const { code, verifier } = await newCode(auth, scope ? { scope } : {});
  const res = await form(
    auth.app,
    '/oauth2/token',
    { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
    { authorization },
  );
  expect(res.statusCode).toBe(200);
  return res.json<{ access_token: string; refresh_token: string }>();
}

function refresh(
  auth: TestAuth,
  authorization: string,
  refreshToken: string,
  extra: Record<string, string> = {},
) {
  return form(
    auth.app,
    '/oauth2/token',
    { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
    { authorization },
  );
}

for (const backend of backends('refresh')) {
  describe.skipIf(backend.skip)(`refresh_token on ${backend.name}`, () => {
    it('rotates the refresh token on every use and stores only hashes', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const first = await login(auth, authorization);
      const second = await refresh(auth, authorization, first.refresh_token);
      expect(second.statusCode).toBe(200);
      const body = second.json();
      expect(body.refresh_token).not.toBe(first.refresh_token);
      expect(body.access_token).not.toBe(first.access_token);
      expect(body.scope).toBe('openid profile orders:read');
      expect((await refresh(auth, authorization, body.refresh_token)).statusCode).toBe(200);
      const rows = await auth.app.authContext.db.selectFrom('refresh_tokens').select('token_hash').execute();
      expect(rows.map((r) => r.token_hash)).toContain(
        createHash('sha256').update(first.refresh_token).digest('base64url'),
      );
      expect(JSON.stringify(rows)).not.toContain(first.refresh_token);
      expect((await auth.audits()).filter((a) => a.action === 'token.refreshed')).toHaveLength(2);
    });

    it('revokes the whole family when a rotated token is reused after the grace window, and audits it', async () => {
      const auth = await startAuth(backend.url(), { env: { RAMPART_AUTH_REFRESH_REUSE_GRACE_SECONDS: '0' } });
      const { authorization } = await userGrantSetup(auth);
      const first = await login(auth, authorization);
      const second = (await refresh(auth, authorization, first.refresh_token)).json();
      const reuse = await refresh(auth, authorization, first.refresh_token);
      expect(reuse.statusCode).toBe(400);
      expect(reuse.json().error).toBe('invalid_grant');
      // The legitimate holder's newest token is dead too, and so are the access tokens.
      expect((await refresh(auth, authorization, second.refresh_token)).json().error).toBe('invalid_grant');
      expect(
        (
          await form(auth.app, '/oauth2/introspect', { token: second.access_token }, { authorization })
        ).json(),
      ).toEqual({ active: false });
      const audit = (await auth.audits()).find((a) => a.action === 'token.refresh_reuse_detected');
      expect(audit?.outcome).toBe('denied');
      const feed = await auth.app.authContext.revocations.since(0);
      expect(feed.map((e) => e.kind)).toEqual(expect.arrayContaining(['family', 'jti']));
    });

    it('gives a retry within the grace window the same new tokens, without revoking', async () => {
      const auth = await startAuth(backend.url(), {
        env: { RAMPART_AUTH_REFRESH_REUSE_GRACE_SECONDS: '30' },
      });
      const { authorization } = await userGrantSetup(auth);
      const first = await login(auth, authorization);
      const a = (await refresh(auth, authorization, first.refresh_token)).json();
      const b = (await refresh(auth, authorization, first.refresh_token)).json();
      expect(b).toEqual(a);
      expect((await refresh(auth, authorization, a.refresh_token)).statusCode).toBe(200);
      expect((await auth.audits()).some((e) => e.action === 'token.refresh_reuse_detected')).toBe(false);
    });

    it('lets exactly one of concurrent rotations win; the others get its result in the grace window', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const first = await login(auth, authorization);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => refresh(auth, authorization, first.refresh_token)),
      );
      expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(results.map((r) => r.json().refresh_token)).size).toBe(1);
      const children = await auth.app.authContext.db
        .selectFrom('refresh_tokens')
        .select('token_hash')
        .where('parent_hash', 'is not', null)
        .execute();
      expect(children).toHaveLength(1);
    });

    it('never grants a broader scope (RFC 6749 §6), but may narrow it', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const first = await login(auth, authorization);
      const broader = await refresh(auth, authorization, first.refresh_token, { scope: 'openid admin' });
      expect(broader.json().error).toBe('invalid_scope');
      const narrower = await refresh(auth, authorization, first.refresh_token, { scope: 'orders:read' });
      expect(narrower.statusCode).toBe(200);
      expect(narrower.json().scope).toBe('orders:read');
      expect(narrower.json().id_token).toBeUndefined();
      // The new refresh token keeps the original grant.
      const again = await refresh(auth, authorization, narrower.json().refresh_token, {
        scope: 'openid profile',
      });
      expect(again.statusCode).toBe(200);
    });

    it('serves a public client (auth method none) with PKCE and rotation', async () => {
      const auth = await startAuth(backend.url());
      auth.users.add({ id: 'alice', roles: ['customer'] });
      await addClient(auth.app, {
        clientId: 'spa',
        type: 'public',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT],
      });
      const { code, verifier } = await newCode(auth, { clientId: 'spa' });
      const first = await form(auth.app, '/oauth2/token', {
        grant_type: 'authorization_code',
        client_id: 'spa',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
      expect(first.statusCode).toBe(200);
      const rotated = await form(auth.app, '/oauth2/token', {
        grant_type: 'refresh_token',
        client_id: 'spa',
        refresh_token: first.json().refresh_token,
      });
      expect(rotated.statusCode).toBe(200);
      expect(rotated.json().refresh_token).not.toBe(first.json().refresh_token);
    });

    it("refuses another client's refresh token", async () => {
      const auth = await startAuth(backend.url());
      const web = await userGrantSetup(auth, 'web');
      const other = await userGrantSetup(auth, 'other');
      const first = await login(auth, web.authorization);
      const res = await refresh(auth, other.authorization, first.refresh_token);
      expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'invalid refresh token' });
      expect((await refresh(auth, web.authorization, first.refresh_token)).statusCode).toBe(200);
    });

    it('enforces the idle and the absolute lifetime', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const idle = await login(auth, authorization);
      await auth.app.authContext.db
        .updateTable('refresh_tokens')
        .set({ expires_at: Date.now() - 1 })
        .execute();
      expect((await refresh(auth, authorization, idle.refresh_token)).json().error).toBe('invalid_grant');

      const absolute = await login(auth, authorization);
      await auth.app.authContext.db
        .updateTable('token_families')
        .set({ absolute_expires_at: Date.now() - 1 })
        .execute();
      expect((await refresh(auth, authorization, absolute.refresh_token)).json().error).toBe('invalid_grant');
    });

    it('refuses and revokes when the user was disabled', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const first = await login(auth, authorization);
      auth.users.add({ id: 'alice', disabled: true });
      expect((await refresh(auth, authorization, first.refresh_token)).json().error).toBe('invalid_grant');
    });

    it('revokes the families of a session and of a user (logout, disable)', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const first = await login(auth, authorization);
      const revoked = await auth.app.authContext.revokeSessionTokens('session-1');
      expect(revoked).toHaveLength(1);
      expect((await refresh(auth, authorization, first.refresh_token)).json().error).toBe('invalid_grant');
      const second = await login(auth, authorization);
      await auth.app.authContext.revokeUserTokens('alice', { disabled: true });
      expect((await refresh(auth, authorization, second.refresh_token)).json().error).toBe('invalid_grant');
      const kinds = (await auth.app.authContext.revocations.since(0)).map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(['session', 'user', 'family', 'jti']));
    });
  });
}

const postgres = backends('refresh2')[1]!;
describe.skipIf(postgres.skip)('two instances on one PostgreSQL behave as one', () => {
  it('detects reuse across instances and races rotations safely', async () => {
    const url = postgres.url();
    const a = await startAuth(url, { env: { RAMPART_AUTH_REFRESH_REUSE_GRACE_SECONDS: '0' } });
    const b = await startAuth(url, { env: { RAMPART_AUTH_REFRESH_REUSE_GRACE_SECONDS: '0' } });
    b.app.authContext.users = a.users;
    const { authorization } = await userGrantSetup(a);
    expect(b.app.authContext.keys.signer.kid).toBe(a.app.authContext.keys.signer.kid);
    const first = await login(a, authorization);

    // Concurrent rotation of one token on both instances: exactly one wins, the other is reuse.
    const [ra, rb] = await Promise.all([
      refresh(a, authorization, first.refresh_token),
      refresh(b, authorization, first.refresh_token),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 400]);
    const winner = ra.statusCode === 200 ? ra.json() : rb.json();
    // Reuse revoked the family: the winner's token is dead on both instances.
    expect((await refresh(a, authorization, winner.refresh_token)).json().error).toBe('invalid_grant');
    expect((await refresh(b, authorization, winner.refresh_token)).json().error).toBe('invalid_grant');
  });

  it('gives a retry on the other instance the same tokens within the grace window', async () => {
    const url = postgres.url();
    const a = await startAuth(url);
    const b = await startAuth(url);
    b.app.authContext.users = a.users;
    const { authorization } = await userGrantSetup(a);
    const first = await login(a, authorization);
    const [ra, rb] = await Promise.all([
      refresh(a, authorization, first.refresh_token),
      refresh(b, authorization, first.refresh_token),
    ]);
    expect(ra.statusCode).toBe(200);
    expect(rb.json()).toEqual(ra.json());
  });
});
