import { describe, expect, it } from 'vitest';
import {
  REDIRECT,
  addClient,
  backends,
  basic,
  form,
  newCode,
  startAuth,
  userGrantSetup,
} from '../test-support/harness.js';

for (const backend of backends('introspect')) {
  describe.skipIf(backend.skip)(`introspection and revocation on ${backend.name}`, () => {
    it('introspects access and refresh tokens for an authenticated client (RFC 7662)', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const { code, verifier } = await newCode(auth);
      const tokens = (
        await form(
          auth.app,
          '/oauth2/token',
          { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
          { authorization },
        )
      ).json();
      const rs = await addClient(auth.app, { clientId: 'resource-server' });
      const rsAuth = { authorization: basic('resource-server', rs.secret!) };
      const at = await form(auth.app, '/oauth2/introspect', { token: tokens.access_token }, rsAuth);
      expect(at.statusCode).toBe(200);
      expect(at.headers['cache-control']).toBe('no-store');
      expect(at.json()).toMatchObject({
        active: true,
        sub: 'alice',
        client_id: 'web',
        scope: 'openid profile orders:read',
        token_type: 'Bearer',
      });
      const rt = await form(
        auth.app,
        '/oauth2/introspect',
        { token: tokens.refresh_token, token_type_hint: 'refresh_token' },
        rsAuth,
      );
      expect(rt.json()).toMatchObject({
        active: true,
        client_id: 'web',
        sub: 'alice',
        token_type: 'refresh_token',
      });
      for (const token of ['garbage', 'a.b.c', tokens.access_token.slice(0, -2) + 'xx']) {
        const res = await form(auth.app, '/oauth2/introspect', { token }, rsAuth);
        expect(res.body).toBe('{"active":false}');
      }
    });

    it('requires client authentication to introspect', async () => {
      const auth = await startAuth(backend.url());
      const none = await form(auth.app, '/oauth2/introspect', { token: 'x' });
      expect(none.statusCode).toBe(401);
      await addClient(auth.app, {
        clientId: 'spa',
        type: 'public',
        grantTypes: ['authorization_code'],
        redirectUris: [REDIRECT],
      });
      const publicClient = await form(auth.app, '/oauth2/introspect', { token: 'x', client_id: 'spa' });
      expect(publicClient.statusCode).toBe(401);
      expect(publicClient.json().error).toBe('invalid_client');
    });

    it('revokes a refresh token with its family and access tokens, and publishes them (RFC 7009)', async () => {
      const auth = await startAuth(backend.url());
      const { authorization } = await userGrantSetup(auth);
      const { code, verifier } = await newCode(auth);
      const tokens = (
        await form(
          auth.app,
          '/oauth2/token',
          { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
          { authorization },
        )
      ).json();
      const res = await form(
        auth.app,
        '/oauth2/revoke',
        { token: tokens.refresh_token, token_type_hint: 'refresh_token' },
        { authorization },
      );
      expect(res.statusCode).toBe(200);
      expect(
        (await form(auth.app, '/oauth2/introspect', { token: tokens.access_token }, { authorization })).body,
      ).toBe('{"active":false}');
      expect(
        (
          await form(
            auth.app,
            '/oauth2/token',
            { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
            { authorization },
          )
        ).json().error,
      ).toBe('invalid_grant');
      const jti = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString()).jti;
      const events = await auth.app.authContext.revocations.since(0);
      expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'jti', value: jti })]));
      expect((await auth.audits()).some((a) => a.action === 'token.revoked')).toBe(true);
    });

    it('revokes an access token until its exp; unknown and foreign tokens answer 200 and stay', async () => {
      const auth = await startAuth(backend.url());
      const { secret } = await addClient(auth.app, { clientId: 'c1' });
      const other = await addClient(auth.app, { clientId: 'c2' });
      const c1 = { authorization: basic('c1', secret!) };
      const c2 = { authorization: basic('c2', other.secret!) };
      const token = (await form(auth.app, '/oauth2/token', { grant_type: 'client_credentials' }, c1)).json()
        .access_token;
      expect((await form(auth.app, '/oauth2/revoke', { token }, c2)).statusCode).toBe(200);
      expect((await form(auth.app, '/oauth2/introspect', { token }, c1)).json().active).toBe(true);
      expect((await form(auth.app, '/oauth2/revoke', { token: 'unknown' }, c1)).statusCode).toBe(200);
      expect((await form(auth.app, '/oauth2/revoke', { token }, c1)).statusCode).toBe(200);
      expect((await form(auth.app, '/oauth2/introspect', { token }, c1)).body).toBe('{"active":false}');
      const bad = await form(auth.app, '/oauth2/revoke', { token, token_type_hint: 'id_token' }, c1);
      expect(bad.json().error).toBe('unsupported_token_type');
    });
  });
}

describe('deny-list checks', () => {
  it('denies tokens issued before a user was disabled, not those issued after', async () => {
    const auth = await startAuth(backends('denylist')[0]!.url());
    const { authorization } = await userGrantSetup(auth);
    const exchange = async () => {
      const { code, verifier } = await newCode(auth, { sessionId: `s-${Math.random()}` });
      return (
        await form(
          auth.app,
          '/oauth2/token',
          { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
          { authorization },
        )
      ).json();
    };
    const before = await exchange();
    await auth.app.authContext.revokeUserTokens('alice', { disabled: true });
    expect(await auth.app.authContext.verifyAccessToken(before.access_token)).toBeUndefined();
    // Enabled again, a second later: new tokens work.
    await new Promise((r) => setTimeout(r, 1100));
    const after = await exchange();
    expect(await auth.app.authContext.verifyAccessToken(after.access_token)).toMatchObject({ sub: 'alice' });
  });
});
