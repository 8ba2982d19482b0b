import { createHash } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  REDIRECT,
  backends,
  basic,
  form,
  newCode,
  startAuth,
  userGrantSetup,
  addClient,
  pkce,
} from '../../test-support/harness.js';

for (const backend of backends('code')) {
  describe.skipIf(backend.skip)(`authorization_code on ${backend.name}`, () => {
    it('exchanges a code for access, refresh and ID tokens (OIDC Core §3.1.3.3)', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const { code, verifier } = await newCode(auth);
      const res = await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        { authorization },
      );
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'openid profile orders:read',
      });
      expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const jwks = createLocalJWKSet((await auth.app.inject({ url: '/oauth2/jwks' })).json());
      const at = await jwtVerify(body.access_token, jwks, {
        typ: 'at+jwt',
        issuer: 'http://auth.test',
        // No resource asked for: every audience registered for the client.
        audience: 'https://api.test/orders',
      });
      expect(at.payload).toMatchObject({
        sub: 'alice',
        client_id: 'web',
        roles: ['customer'],
        sid: 'session-1',
      });
      expect(typeof at.payload.auth_time).toBe('number');
      const id = await jwtVerify(body.id_token, jwks, { issuer: 'http://auth.test', audience: 'web' });
      const hash = createHash('sha256').update(body.access_token).digest();
      expect(id.payload).toMatchObject({
        sub: 'alice',
        nonce: 'n-0S6_WzA2Mj',
        preferred_username: 'alice',
        at_hash: hash.subarray(0, 16).toString('base64url'),
      });
      expect(id.payload.auth_time).toBe(at.payload.auth_time);
      expect((await auth.audits()).some((a) => a.action === 'token.issued')).toBe(true);
    });

    it('omits the ID token without the openid scope, and the refresh token without the grant', async () => {
      const auth = await startAuth(backend.url());
      auth.users.add({ id: 'alice' });
      const { secret } = await addClient(auth.app, {
        clientId: 'web',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT],
      });
      const { code, verifier } = await newCode(auth, { scope: 'orders:read' });
      const res = await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        { authorization: basic('web', secret!) },
      );
      expect(res.statusCode).toBe(200);
      expect(res.json().id_token).toBeUndefined();
      expect(res.json().refresh_token).toBeUndefined();
    });

    it('refuses a replayed code and revokes what the first exchange issued (RFC 6749 §4.1.2)', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const { code, verifier } = await newCode(auth);
      const params = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      };
      const first = (await form(auth.app, '/oauth2/token', params, { authorization })).json();
      const replay = await form(auth.app, '/oauth2/token', params, { authorization });
      expect(replay.statusCode).toBe(400);
      expect(replay.json().error).toBe('invalid_grant');
      const refreshed = await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'refresh_token', refresh_token: first.refresh_token },
        { authorization },
      );
      expect(refreshed.json().error).toBe('invalid_grant');
      const introspected = await form(
        auth.app,
        '/oauth2/introspect',
        { token: first.access_token },
        { authorization },
      );
      expect(introspected.json()).toEqual({ active: false });
      expect((await auth.audits()).find((a) => a.action === 'token.code_replayed')?.outcome).toBe('denied');
    });

    it.each([
      [
        'a wrong verifier',
        (v: string) => ({ code_verifier: `${v.slice(0, -1)}${v.endsWith('A') ? 'B' : 'A'}` }),
      ],
      ['a missing verifier', () => ({ code_verifier: '' })],
      [
        'the challenge as verifier (plain downgrade)',
        (_v: string, challenge: string) => ({ code_verifier: challenge }),
      ],
      ['a too short verifier', () => ({ code_verifier: 'short' })],
    ])('refuses %s (RFC 7636 §4.6)', async (_name, tamper) => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const { verifier, challenge } = pkce();
      const code = await auth.app.authContext.createAuthorizationCode({
        clientId: 'web',
        userId: 'alice',
        redirectUri: REDIRECT,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        scope: 'openid',
        authTime: 1,
        sessionId: null,
      });
      const res = await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...tamper(verifier, challenge) },
        { authorization },
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('invalid_grant');
      // The code is spent: even the right verifier fails now.
      const retry = await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        { authorization },
      );
      expect(retry.statusCode).toBe(400);
    });

    it('refuses the plain method when a code is created', async () => {
      const auth = await startAuth(backend.url());
      await expect(
        auth.app.authContext.createAuthorizationCode({
          clientId: 'web',
          userId: 'alice',
          redirectUri: REDIRECT,
          codeChallenge: 'x',
          codeChallengeMethod: 'plain' as 'S256',
          scope: 'openid',
          authTime: 1,
        }),
      ).rejects.toThrow(/S256/);
    });

    it.each([
      ['a different redirect_uri', `${REDIRECT}/x`],
      ['an extra query', `${REDIRECT}?a=1`],
      ['a case variant', REDIRECT.toUpperCase()],
    ])('refuses %s', async (_name, redirectUri) => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const { code, verifier } = await newCode(auth);
      const res = await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
        { authorization },
      );
      expect(res.json().error).toBe('invalid_grant');
    });

    it("refuses another client's code", async () => {
      const auth = await startAuth(backend.url());
      await userGrantSetup(auth, 'web');
      const other = await userGrantSetup(auth, 'other');
      const { code, verifier } = await newCode(auth, { clientId: 'web' });
      const res = await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        { authorization: other.authorization },
      );
      expect(res.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'authorization code was issued to another client',
      });
    });

    it('refuses an expired code and a disabled user', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const { code, verifier } = await newCode(auth);
      await auth.app.authContext.db
        .updateTable('authorization_codes')
        .set({ expires_at: Date.now() - 1 })
        .execute();
      const expired = await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        { authorization },
      );
      expect(expired.json().error).toBe('invalid_grant');

      auth.users.add({ id: 'alice', disabled: true });
      const fresh = await newCode(auth);
      const disabled = await form(
        auth.app,
        '/oauth2/token',
        {
          grant_type: 'authorization_code',
          code: fresh.code,
          redirect_uri: REDIRECT,
          code_verifier: fresh.verifier,
        },
        { authorization },
      );
      expect(disabled.json().error).toBe('invalid_grant');
    });

    it('stores only the hash of a code, ≥ 256 bits, living ≤ 60 s', async () => {
      const auth = await startAuth(backend.url());
      await userGrantSetup(auth);
      const { code } = await newCode(auth);
      expect(Buffer.from(code, 'base64url').length).toBeGreaterThanOrEqual(32);
      const row = await auth.app.authContext.db
        .selectFrom('authorization_codes')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(row.code_hash).toBe(createHash('sha256').update(code).digest('base64url'));
      expect(JSON.stringify(row)).not.toContain(code);
      expect(Number(row.expires_at) - Number(row.created_at)).toBeLessThanOrEqual(60_000);
    });

    it('narrows the audience to a resource granted at /authorize (RFC 8707)', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const { code, verifier } = await newCode(auth, { resource: ['https://api.test/orders'] });
      const res = await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        { authorization },
      );
      const payload = JSON.parse(Buffer.from(res.json().access_token.split('.')[1], 'base64url').toString());
      expect(payload.aud).toBe('https://api.test/orders');
    });
  });
}
