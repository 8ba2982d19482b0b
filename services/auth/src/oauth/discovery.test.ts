import { describe, expect, it } from 'vitest';
import { backends, startAuth } from '../test-support/harness.js';

const sqlite = backends('discovery')[0]!;

describe('discovery and JWKS', () => {
  it('serves RFC 8414 and OIDC Discovery metadata', async () => {
    const { app } = await startAuth(sqlite.url());
    const oidc = (await app.inject({ url: '/.well-known/openid-configuration' })).json();
    const oauth = (await app.inject({ url: '/.well-known/oauth-authorization-server' })).json();
    expect(oauth).toEqual(oidc);
    expect(oidc).toMatchObject({
      issuer: 'http://auth.test',
      token_endpoint: 'http://auth.test/oauth2/token',
      authorization_endpoint: 'http://auth.test/oauth2/authorize',
      jwks_uri: 'http://auth.test/oauth2/jwks',
      introspection_endpoint: 'http://auth.test/oauth2/introspect',
      revocation_endpoint: 'http://auth.test/oauth2/revoke',
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    expect(oidc.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']),
    );
  });

  it('serves the public keys with a cache lifetime, never a private part', async () => {
    const { app } = await startAuth(sqlite.url());
    const res = await app.inject({ url: '/oauth2/jwks' });
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = res.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0].d).toBeUndefined();
  });
});

describe('configuration', () => {
  it.each(['http://auth.test/', 'http://auth.test?x=1', 'ftp://auth.test', 'auth.test'])(
    'refuses issuer %s at start-up',
    async (issuer) => {
      await expect(startAuth(sqlite.url(), { env: { RAMPART_AUTH_ISSUER: issuer } })).rejects.toThrow(
        /issuer/,
      );
    },
  );
});
