import { generateKeyPair, exportJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { addClient, backends, basic, form, startAuth } from '../test-support/harness.js';

// Client authentication and RFC 6749 §5.2 errors do not depend on the database: SQLite only.
const sqlite = backends('tokenep')[0]!;

describe('token endpoint: client authentication', () => {
  it('answers a wrong secret with 401 invalid_client and WWW-Authenticate when Basic was used', async () => {
    const { app } = await startAuth(sqlite.url());
    await addClient(app, { clientId: 'c1' });
    const res = await form(
      app,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { authorization: basic('c1', 'wrong') },
    );
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="http://auth.test"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
  });

  it('answers an unknown client exactly like a wrong secret', async () => {
    const { app } = await startAuth(sqlite.url());
    const res = await form(
      app,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { authorization: basic('nobody', 'x') },
    );
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
  });

  it('form-urlencode-decodes Basic credentials (RFC 6749 §2.3.1)', async () => {
    const { app } = await startAuth(sqlite.url());
    await addClient(app, { clientId: 'svc.a-b', secret: 'p@ss: w+rd/%' });
    const res = await form(
      app,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { authorization: basic('svc.a-b', 'p@ss: w+rd/%') },
    );
    expect(res.statusCode).toBe(200);
    const raw = `Basic ${Buffer.from('svc.a-b:p@ss: w+rd/%').toString('base64')}`;
    expect(
      (await form(app, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: raw }))
        .statusCode,
    ).toBe(401);
  });

  it('answers malformed Basic credentials with invalid_client', async () => {
    const { app } = await startAuth(sqlite.url());
    const res = await form(
      app,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { authorization: 'Basic !!!' },
    );
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('invalid_client');
  });

  it('rejects two authentication methods in one request', async () => {
    const { app } = await startAuth(sqlite.url());
    const { secret } = await addClient(app, { clientId: 'c1' });
    const res = await form(
      app,
      '/oauth2/token',
      { grant_type: 'client_credentials', client_secret: secret! },
      { authorization: basic('c1', secret!) },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_request');
  });

  it('authenticates private_key_jwt and refuses a replayed assertion (RFC 7523 §3)', async () => {
    const { app } = await startAuth(sqlite.url());
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    await addClient(app, {
      clientId: 'jwt-client',
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [jwk] },
    });
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('jwt-client')
      .setSubject('jwt-client')
      .setAudience('http://auth.test/oauth2/token')
      .setIssuedAt()
      .setExpirationTime('60s')
      .setJti('assertion-1')
      .sign(privateKey);
    const body = {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    };
    expect((await form(app, '/oauth2/token', body)).statusCode).toBe(200);
    const replay = await form(app, '/oauth2/token', body);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error).toBe('invalid_client');

    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('jwt-client')
      .setSubject('jwt-client')
      .setAudience('http://auth.test/oauth2/token')
      .setExpirationTime('60s')
      .setJti('assertion-2')
      .sign(other.privateKey);
    expect((await form(app, '/oauth2/token', { ...body, client_assertion: forged })).statusCode).toBe(401);
  });

  it('lets a public client authenticate with none, but not for client_credentials', async () => {
    const { app } = await startAuth(sqlite.url());
    await addClient(app, {
      clientId: 'spa',
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1:8787/callback'],
    });
    const res = await form(app, '/oauth2/token', { grant_type: 'client_credentials', client_id: 'spa' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('unauthorized_client');
  });
});

describe('token endpoint: request errors (RFC 6749 §5.2)', () => {
  it('rejects duplicate parameters (RFC 6749 §3.2)', async () => {
    const { app } = await startAuth(sqlite.url());
    const { secret } = await addClient(app, { clientId: 'c1', scopes: ['a', 'b'] });
    const res = await form(app, '/oauth2/token', 'grant_type=client_credentials&scope=a&scope=b', {
      authorization: basic('c1', secret!),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_request', error_description: 'duplicate parameter scope' });
    const twice = await form(
      app,
      '/oauth2/token',
      'grant_type=client_credentials&grant_type=client_credentials',
      { authorization: basic('c1', secret!) },
    );
    expect(twice.json().error).toBe('invalid_request');
  });

  it.each([
    ['password', 'unsupported_grant_type'],
    ['implicit', 'unsupported_grant_type'],
    ['urn:ietf:params:oauth:grant-type:device_code', 'unsupported_grant_type'],
    ['__proto__', 'unsupported_grant_type'],
  ])('answers grant_type=%s with %s', async (grantType, error) => {
    const { app } = await startAuth(sqlite.url());
    const { secret } = await addClient(app, { clientId: 'c1' });
    const res = await form(
      app,
      '/oauth2/token',
      { grant_type: grantType, username: 'a', password: 'b' },
      { authorization: basic('c1', secret!) },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe(error);
  });

  it('answers a missing grant_type with invalid_request', async () => {
    const { app } = await startAuth(sqlite.url());
    const { secret } = await addClient(app, { clientId: 'c1' });
    const res = await form(app, '/oauth2/token', { scope: 'x' }, { authorization: basic('c1', secret!) });
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'missing parameter grant_type',
    });
  });

  it('answers a grant the client may not use with unauthorized_client', async () => {
    const { app } = await startAuth(sqlite.url());
    const { secret } = await addClient(app, {
      clientId: 'c1',
      grantTypes: ['authorization_code'],
      redirectUris: ['https://app.test/cb'],
    });
    const res = await form(
      app,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { authorization: basic('c1', secret!) },
    );
    expect(res.json().error).toBe('unauthorized_client');
  });

  it('answers an oversized body with 413 in OAuth format', async () => {
    const { app } = await startAuth(sqlite.url());
    const res = await form(app, '/oauth2/token', `grant_type=client_credentials&scope=${'a'.repeat(20_000)}`);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().error).toBe('invalid_request');
  });

  it('answers a JSON or malformed body with 400 invalid_request', async () => {
    const { app } = await startAuth(sqlite.url());
    const json = await app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: { grant_type: 'client_credentials' },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toBe('invalid_request');
    const broken = await app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toBe('invalid_request');
    const xml = await app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: '<a/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.statusCode).toBe(400);
    expect(xml.json().error).toBe('invalid_request');
    const empty = await app.inject({ method: 'POST', url: '/oauth2/token' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('invalid_request');
  });
});

describe('token endpoint: audit', () => {
  it('audits failed client authentication', async () => {
    const auth = await startAuth(sqlite.url());
    await addClient(auth.app, { clientId: 'c1' });
    await form(
      auth.app,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { authorization: basic('c1', 'wrong') },
    );
    const events = await auth.audits();
    expect(events.find((e) => e.action === 'client.authentication_failed')).toMatchObject({
      outcome: 'failure',
    });
  });
});
