/**
 * Interoperability with a certified relying-party library: openid-client v6 does discovery,
 * client credentials, the code exchange with PKCE (the code made the way the login page makes it),
 * refresh with rotation, introspection and revocation; jose verifies every token via the JWKS URI.
 */
import net from 'node:net';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { REDIRECT, addClient, backends, startAuth, userGrantSetup } from './test-support/harness.js';

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

for (const backend of backends('interop')) {
  describe.skipIf(backend.skip)(`openid-client interoperability on ${backend.name}`, () => {
    it('runs discovery, client credentials, code + PKCE, refresh, introspection and revocation', async () => {
      const port = await freePort();
      const issuer = `http://127.0.0.1:${port}`;
      const auth = await startAuth(backend.url(), {
        env: { PORT: String(port), HOST: '127.0.0.1', RAMPART_AUTH_ISSUER: issuer },
      });
      await auth.app.start({ handleSignals: false });
      const { secret } = await userGrantSetup(auth);
      await addClient(auth.app, { clientId: 'web-cc', secret: 'cc-secret', scopes: ['orders:read'] });
      const insecure = { execute: [oidc.allowInsecureRequests] };

      // Discovery + client credentials.
      const service = await oidc.discovery(
        new URL(issuer),
        'web-cc',
        undefined,
        oidc.ClientSecretBasic('cc-secret'),
        insecure,
      );
      expect(service.serverMetadata().issuer).toBe(issuer);
      const cc = await oidc.clientCredentialsGrant(service, { scope: 'orders:read' });
      const jwks = createRemoteJWKSet(new URL(service.serverMetadata().jwks_uri!));
      const ccToken = await jwtVerify(cc.access_token, jwks, { issuer, typ: 'at+jwt', audience: 'rampart' });
      expect(ccToken.payload.sub).toBe('web-cc');

      // Authorization code + PKCE: the code is made as the login page makes it.
      const web = await oidc.discovery(
        new URL(issuer),
        'web',
        undefined,
        oidc.ClientSecretBasic(secret),
        insecure,
      );
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const code = await auth.app.authContext.createAuthorizationCode({
        clientId: 'web',
        userId: 'alice',
        redirectUri: REDIRECT,
        codeChallenge: await oidc.calculatePKCECodeChallenge(verifier),
        codeChallengeMethod: 'S256',
        scope: 'openid profile email orders:read',
        nonce,
        authTime: Math.floor(Date.now() / 1000),
        sessionId: 'sess-1',
      });
      const callback = new URL(
        `${REDIRECT}?code=${encodeURIComponent(code)}&iss=${encodeURIComponent(issuer)}`,
      );
      const tokens = await oidc.authorizationCodeGrant(web, callback, {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      expect(tokens.claims()).toMatchObject({ sub: 'alice', nonce, email: 'alice@example.test' });
      await jwtVerify(tokens.access_token, jwks, { issuer, typ: 'at+jwt' });

      // Refresh with rotation.
      const refreshed = await oidc.refreshTokenGrant(web, tokens.refresh_token!);
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
      await jwtVerify(refreshed.access_token, jwks, { issuer, typ: 'at+jwt' });

      // Introspection and revocation.
      expect(await oidc.tokenIntrospection(web, refreshed.access_token)).toMatchObject({
        active: true,
        sub: 'alice',
      });
      expect((await oidc.tokenIntrospection(web, tokens.refresh_token!)).active).toBe(false);
      await oidc.tokenRevocation(web, refreshed.refresh_token!);
      expect((await oidc.tokenIntrospection(web, refreshed.access_token)).active).toBe(false);
      await expect(oidc.refreshTokenGrant(web, refreshed.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    });
  });
}
