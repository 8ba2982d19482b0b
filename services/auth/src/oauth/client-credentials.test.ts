import { createLocalJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { addClient, backends, basic, form, startAuth } from '../test-support/harness.js';

for (const backend of backends('cc')) {
  describe.skipIf(backend.skip)(`client_credentials on ${backend.name}`, () => {
    it('issues an RFC 9068 access token that verifies against the JWKS', async () => {
      const auth = await startAuth(backend.url());
      const app = auth.app;
      const { secret } = await addClient(app, {
        clientId: 'orders',
        scopes: ['orders:read', 'orders:write'],
        roles: ['service'],
        audiences: ['https://api.test/orders'],
      });
      const res = await form(
        app,
        '/oauth2/token',
        { grant_type: 'client_credentials', scope: 'orders:read' },
        {
          authorization: basic('orders', secret!),
        },
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
      const body = res.json();
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'orders:read' });
      expect(body.refresh_token).toBeUndefined();
      const jwks = (await app.inject({ method: 'GET', url: '/oauth2/jwks' })).json();
      const { payload, protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(jwks), {
        issuer: 'http://auth.test',
        // No resource asked for: every audience registered for the client.
        audience: 'https://api.test/orders',
        typ: 'at+jwt',
      });
      expect(protectedHeader.alg).toBe('ES256');
      expect(payload).toMatchObject({
        sub: 'orders',
        client_id: 'orders',
        scope: 'orders:read',
        roles: ['service'],
      });
      expect(typeof payload.jti).toBe('string');
      expect(payload.exp! - payload.iat!).toBe(300);
      expect((await auth.audits()).some((a) => a.action === 'token.issued')).toBe(true);
    });

    it('honours the RFC 8707 resource parameter, but only for allowed audiences', async () => {
      const { app } = await startAuth(backend.url());
      const { secret } = await addClient(app, {
        clientId: 'c1',
        audiences: ['https://api.test/a', 'https://api.test/b'],
      });
      const auth = { authorization: basic('c1', secret!) };
      const ok = await form(
        app,
        '/oauth2/token',
        { grant_type: 'client_credentials', resource: ['https://api.test/a', 'https://api.test/b'] },
        auth,
      );
      expect(ok.statusCode).toBe(200);
      const payload = JSON.parse(Buffer.from(ok.json().access_token.split('.')[1], 'base64url').toString());
      expect(payload.aud).toEqual(['https://api.test/a', 'https://api.test/b']);
      const bad = await form(
        app,
        '/oauth2/token',
        { grant_type: 'client_credentials', resource: 'https://evil.test/' },
        auth,
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toBe('invalid_target');
    });

    it('rejects a scope the client was not given', async () => {
      const { app } = await startAuth(backend.url());
      const { secret } = await addClient(app, { clientId: 'c1', scopes: ['a'] });
      const res = await form(
        app,
        '/oauth2/token',
        { grant_type: 'client_credentials', scope: 'a admin' },
        { authorization: basic('c1', secret!) },
      );
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'invalid_scope', error_description: 'scope not allowed: admin' });
    });

    it('supports client_secret_post and a per-client lifetime', async () => {
      const { app } = await startAuth(backend.url());
      const { secret } = await addClient(app, {
        clientId: 'poster',
        tokenEndpointAuthMethod: 'client_secret_post',
        accessTokenTtl: 60,
      });
      const res = await form(app, '/oauth2/token', {
        grant_type: 'client_credentials',
        client_id: 'poster',
        client_secret: secret!,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().expires_in).toBe(60);
      // Registered for post: Basic is refused.
      const basicRes = await form(
        app,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { authorization: basic('poster', secret!) },
      );
      expect(basicRes.statusCode).toBe(401);
    });

    it('signs with the configured algorithm', async () => {
      const { app } = await startAuth(backend.url(), { env: { RAMPART_AUTH_SIGNING_ALG: 'EdDSA' } });
      const { secret } = await addClient(app, { clientId: 'c1' });
      const res = await form(
        app,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { authorization: basic('c1', secret!) },
      );
      expect(decodeProtectedHeader(res.json().access_token)).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
      const jwks = (await app.inject({ method: 'GET', url: '/oauth2/jwks' })).json();
      await expect(jwtVerify(res.json().access_token, createLocalJWKSet(jwks))).resolves.toBeTruthy();
    });
  });
}
