/**
 * The attack catalogue (issue 4) against a real chassis service with `registerSecurity`, a real
 * JWKS server on port 0 that counts requests, and keys made with jose.
 */
import { createHmac, createPrivateKey, randomUUID, sign as nodeSign } from 'node:crypto';
import { exportSPKI, exportJWK, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../service/create-service.js';
import { captureLogs } from '../test-support/log-capture.js';
import type { Denial } from './policy.js';
import { registerSecurity } from './register-security.js';
import { makeKey, startCaptureServer, startFakeIssuer, type FakeIssuer } from './test-support/fake-issuer.js';
import { createTokenVerifier, type TokenVerifier } from './verify-token.js';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

let fake: FakeIssuer;
let app: Service;
let verifier: TokenVerifier;
const denials: Denial[] = [];

function claims(extra: Record<string, unknown> = {}) {
  return {
    iss: fake.issuer,
    aud: 'orders',
    sub: 'alice',
    client_id: 'demo-spa',
    jti: randomUUID(),
    iat: now(),
    exp: now() + 300,
    scope: 'orders:read',
    ...extra,
  };
}

async function call(token: string | undefined, url = '/orders') {
  return app.inject({
    method: 'GET',
    url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

async function expectRefused(token: string, url = '/orders') {
  const response = await call(token, url);
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toBe('Bearer realm="demo", error="invalid_token"');
  expect(response.headers['content-type']).toBe('application/problem+json');
}

beforeAll(async () => {
  fake = await startFakeIssuer();
  verifier = createTokenVerifier({ issuer: fake.issuer, audience: 'orders', cooldownMs: 60_000 });
  app = await createService({ name: 'demo', env: { PORT: '0' }, argv: [], logDestination: captureLogs() });
  registerSecurity(app, {
    verifier,
    permissions: { admin: ['orders:delete'], customer: ['orders:create'] },
    onDenied: (_request, denial) => {
      denials.push(denial);
    },
  });
  app.get('/public', { config: { public: true } }, async () => ({ ok: true }));
  app.get('/orders', { config: { auth: { scopes: ['orders:read'] } } }, async (request) => ({
    principal: request.principal,
  }));
  app.get('/no-policy', async () => ({ leaked: true }));
  app.get('/admin', { config: { auth: { roles: ['admin'] } } }, async () => ({ ok: true }));
  app.get('/delete', { config: { auth: { permissions: ['orders:delete'] } } }, async () => ({ ok: true }));
  app.get('/create', { config: { auth: { permissions: ['orders:create'] } } }, async () => ({ ok: true }));
  app.get('/stats', { config: { auth: { scopes: ['orders:stats'], kind: 'service' } } }, async () => ({
    ok: true,
  }));
  app.get('/either', { config: { auth: { kind: 'any' } } }, async (request) => ({
    kind: request.principal?.kind,
  }));
  await app.ready();
  // Prime the key cache so the counting tests below start from a known state.
  expect((await call(await fake.sign())).statusCode).toBe(200);
});

afterAll(async () => {
  await app.close();
  await fake.close();
});

describe('RFC 6750 answers and route policies', () => {
  it('answers 401 without an error code when no credentials were sent (§3.1)', async () => {
    const response = await call(undefined);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="demo"');
    expect(response.json()).toMatchObject({
      status: 401,
      code: 'RAMPART_ERR_UNAUTHORIZED',
      error: 'missing_credentials',
    });
  });

  it('treats another scheme as no bearer credentials and an empty bearer as invalid_request', async () => {
    const basic = await app.inject({ url: '/orders', headers: { authorization: 'Basic YWxpY2U6cHc=' } });
    expect(basic.statusCode).toBe(401);
    expect(basic.headers['www-authenticate']).toBe('Bearer realm="demo"');
    const empty = await app.inject({ url: '/orders', headers: { authorization: 'Bearer ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['www-authenticate']).toBe('Bearer realm="demo", error="invalid_request"');
  });

  it('never reads a token from the query string', async () => {
    const response = await app.inject({ url: `/orders?access_token=${await fake.sign()}` });
    expect(response.statusCode).toBe(401);
  });

  it('accepts a valid token and exposes a typed principal', async () => {
    const response = await call(await fake.sign({ sid: 's-1' }));
    expect(response.statusCode).toBe(200);
    expect(response.json().principal).toMatchObject({
      sub: 'alice',
      clientId: 'demo-spa',
      roles: ['customer'],
      scopes: ['openid', 'orders:read'],
      sessionId: 's-1',
      kind: 'user',
    });
  });

  it('answers 403 insufficient_scope naming the scope', async () => {
    const response = await call(await fake.sign({ scope: 'openid' }));
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="demo", error="insufficient_scope", scope="orders:read"',
    );
    expect(response.json()).toMatchObject({ code: 'RAMPART_ERR_FORBIDDEN', error: 'insufficient_scope' });
  });

  it('is deny-by-default: no policy → 401 anonymous, 403 authenticated', async () => {
    expect((await call(undefined, '/no-policy')).statusCode).toBe(401);
    const response = await call(await fake.sign({ roles: ['admin'] }), '/no-policy');
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toBe('no_policy');
    expect((await call(undefined, '/public')).statusCode).toBe(200);
    expect((await call(undefined, '/health/live')).statusCode).toBe(200);
  });

  it('checks roles and the role → permission map; a demoted role loses access', async () => {
    expect((await call(await fake.sign({ roles: ['admin'] }), '/admin')).statusCode).toBe(200);
    expect((await call(await fake.sign({ roles: ['customer'] }), '/admin')).statusCode).toBe(403);
    expect((await call(await fake.sign({ roles: ['admin'] }), '/delete')).statusCode).toBe(200);
    expect((await call(await fake.sign({ roles: ['customer'] }), '/delete')).statusCode).toBe(403);
    expect((await call(await fake.sign({ roles: ['customer'] }), '/create')).statusCode).toBe(200);
    expect((await call(await fake.sign({ roles: [] }), '/create')).statusCode).toBe(403);
  });

  it('refuses a service-account token on a user route and a user token on a service route', async () => {
    const service = await fake.sign({
      sub: 'reporting',
      client_id: 'reporting',
      scope: 'orders:read orders:stats',
      roles: [],
    });
    expect((await call(service, '/orders')).statusCode).toBe(403);
    expect((await call(service, '/stats')).statusCode).toBe(200);
    expect((await call(await fake.sign({ scope: 'orders:stats' }), '/stats')).statusCode).toBe(403);
    expect((await call(service, '/either')).json()).toEqual({ kind: 'service' });
  });

  it('judges a token verified before on every request: the route policy, revocation, its exact bytes', async () => {
    const revoked = new Set<string>();
    const other = await createService({
      name: 'demo',
      env: { PORT: '0' },
      argv: [],
      logDestination: captureLogs(),
    });
    registerSecurity(other, { verifier, denyList: { isRevoked: (p) => revoked.has(p.tokenId) } });
    other.get('/orders', { config: { auth: { scopes: ['orders:read'] } } }, async (request) => ({
      sub: request.principal?.sub,
    }));
    other.get('/admin', { config: { auth: { roles: ['admin'] } } }, async () => ({ ok: true }));
    await other.ready();
    const token = await fake.sign();
    const send = (url: string, authorization = `Bearer ${token}`) =>
      other.inject({ method: 'GET', url, headers: { authorization } });
    expect((await send('/orders')).json()).toEqual({ sub: 'alice' }); // verified, now cached
    expect((await send('/orders')).json()).toEqual({ sub: 'alice' }); // from the cache
    expect((await send('/admin')).statusCode).toBe(403); // cached, but without the role this route needs
    expect((await send('/orders', `Bearer ${token}x`)).statusCode).toBe(401);
    expect((await send('/orders', `bearer  ${token}`)).statusCode).toBe(200); // another spelling, full path
    const { jti } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string };
    revoked.add(jti);
    const refused = await send('/orders');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('revoked');
    await other.close();
  });

  it('reports every denial to onDenied', async () => {
    denials.length = 0;
    await call('x.y.z');
    await call(await fake.sign({ scope: '' }));
    expect(denials.map((d) => d.code)).toEqual(['invalid_token', 'insufficient_scope']);
  });

  it('rejects a misspelt policy when the route is declared', async () => {
    const other = await createService({
      name: 'demo2',
      env: { PORT: '0' },
      argv: [],
      logDestination: captureLogs(),
    });
    registerSecurity(other, { verifier });
    expect(() => other.get('/x', { config: { auth: { scope: ['a'] } as never } }, async () => 1)).toThrow(
      /unknown key scope/,
    );
    await other.close();
  });
});

describe('attack catalogue', () => {
  it.each(['none', 'None', 'NONE', 'nOnE', 'noNe'])(
    'refuses alg %s, with or without a signature',
    async (alg) => {
      const unsigned = `${b64({ alg, typ: 'at+jwt', kid: 'es-1' })}.${b64(claims())}`;
      await expectRefused(`${unsigned}.`.replace(/\.$/, '.AA'));
      const response = await call(`${unsigned}.`);
      expect(response.statusCode).toBe(401);
      const noKid = `${b64({ alg, typ: 'at+jwt' })}.${b64(claims())}`;
      await expectRefused(`${noKid}.${b64('sig')}`);
    },
  );

  it('refuses RS256 → HS256 confusion with the public key as the HMAC secret', async () => {
    const rsa = fake.keys[1]!;
    const pem = await exportSPKI(rsa.publicKey);
    for (const secret of [pem, pem.trim(), JSON.stringify(rsa.jwk), rsa.jwk.n!]) {
      for (const kid of ['rs-1', undefined]) {
        const input = `${b64({ alg: 'HS256', typ: 'at+jwt', ...(kid ? { kid } : {}) })}.${b64(claims())}`;
        await expectRefused(`${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`);
      }
    }
  });

  it('refuses an ECDSA signature with r = s = 0 (psychic signature)', async () => {
    const input = `${b64({ alg: 'ES256', typ: 'at+jwt', kid: 'es-1' })}.${b64(claims())}`;
    await expectRefused(`${input}.${Buffer.alloc(64).toString('base64url')}`);
    // DER-encoded zero pair, as some libraries produce
    await expectRefused(`${input}.${Buffer.from([0x30, 6, 2, 1, 0, 2, 1, 0]).toString('base64url')}`);
  });

  it('refuses an alg that does not match the key type or the alg the key was published for', async () => {
    const [ec, rsa] = fake.keys as [(typeof fake.keys)[0] & object, (typeof fake.keys)[0] & object];
    await expectRefused(await fake.sign({}, { key: rsa, header: { kid: 'es-1' } })); // RS256 over an EC key
    await expectRefused(await fake.sign({}, { key: ec, header: { kid: 'rs-1' } })); // ES256 over an RSA key
    // PS256 is an RSA algorithm, but the JWKS published rs-1 for RS256 only.
    const pss = await importJWK(await exportJWK(rsa.privateKey), 'PS256');
    const ps = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'PS256', typ: 'at+jwt', kid: 'rs-1' })
      .sign(pss);
    await expectRefused(ps);
    // ES384 with the P-256 key id
    const input = `${b64({ alg: 'ES384', typ: 'at+jwt', kid: 'es-1' })}.${b64(claims())}`;
    await expectRefused(`${input}.${Buffer.alloc(96, 1).toString('base64url')}`);
  });

  it('refuses a token carrying its own key in jwk', async () => {
    const attacker = await makeKey('ES256', 'attacker');
    for (const kid of ['attacker', 'es-1']) {
      const token = await fake.sign(
        {},
        { key: attacker, header: { kid, jwk: await exportJWK(attacker.publicKey) } },
      );
      await expectRefused(token);
    }
  });

  it('never fetches jku or x5u, and ignores x5c', async () => {
    const capture = await startCaptureServer();
    try {
      const attacker = await makeKey('RS256', 'attacker');
      const before = verifier.keyFetches;
      for (const header of [
        { jku: `${capture.url}/jwks.json` },
        { x5u: `${capture.url}/cert.pem` },
        { jku: `${capture.url}/jwks.json`, kid: 'es-1' },
        { x5c: ['MIIB'] },
      ]) {
        await expectRefused(await fake.sign({}, { key: attacker, header }));
      }
      expect(capture.requests).toEqual([]);
      expect(verifier.keyFetches - before).toBeLessThanOrEqual(1);
    } finally {
      await capture.close();
    }
  });

  it('treats kid only as a lookup key: path traversal, SQL and oversized kids fail', async () => {
    const attacker = await makeKey('ES256', 'x');
    for (const kid of [
      '../../../../etc/passwd',
      '/dev/null',
      "' OR '1'='1",
      "es-1' --",
      'es-1\u0000',
      'a'.repeat(300),
    ]) {
      await expectRefused(await fake.sign({}, { key: attacker, header: { kid } }));
      const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(claims())}`;
      await expectRefused(`${input}.${createHmac('sha256', '').update(input).digest('base64url')}`);
    }
  });

  it('bounds JWKS refetches under a flood of random kids', async () => {
    const attacker = await makeKey('ES256', 'x');
    const before = fake.count('/jwks');
    const tokens = await Promise.all(
      Array.from({ length: 40 }, () => fake.sign({}, { key: attacker, header: { kid: randomUUID() } })),
    );
    const responses = await Promise.all(tokens.map((t) => call(t)));
    expect(responses.every((r) => r.statusCode === 401)).toBe(true);
    expect(fake.count('/jwks') - before).toBeLessThanOrEqual(1);
  });

  it('honours exp and nbf with the clock tolerance (30 s)', async () => {
    await expectRefused(await fake.sign({ exp: now() - 40 }));
    expect((await call(await fake.sign({ exp: now() - 10 }))).statusCode).toBe(200);
    await expectRefused(await fake.sign({ nbf: now() + 60 }));
    expect((await call(await fake.sign({ nbf: now() + 10 }))).statusCode).toBe(200);
    await expectRefused(await fake.sign({}, { omit: ['exp'] }));
    await expectRefused(await fake.sign({ exp: String(now() + 300) as never }));
  });

  it('requires the exact issuer, our audience, and the at+jwt type', async () => {
    await expectRefused(await fake.sign({ iss: 'http://evil.example' }));
    await expectRefused(await fake.sign({ iss: `${fake.issuer}/` }));
    await expectRefused(await fake.sign({}, { omit: ['iss'] }));
    await expectRefused(await fake.sign({ aud: 'accounts' }));
    await expectRefused(await fake.sign({}, { omit: ['aud'] }));
    expect((await call(await fake.sign({ aud: ['accounts', 'orders'] }))).statusCode).toBe(200);
    await expectRefused(await fake.sign({}, { header: { typ: 'JWT' } }));
    await expectRefused(await fake.sign({}, { header: { typ: undefined } }));
    expect((await call(await fake.sign({}, { header: { typ: 'application/at+jwt' } }))).statusCode).toBe(200);
    expect((await call(await fake.sign({}, { header: { typ: 'AT+JWT' } }))).statusCode).toBe(200);
    for (const claim of ['sub', 'client_id', 'jti', 'iat'])
      await expectRefused(await fake.sign({}, { omit: [claim] }));
  });

  it('refuses an ID token and a refresh token used as access tokens', async () => {
    const idToken = await fake.sign(
      { aud: 'demo-spa', nonce: 'n', auth_time: now(), azp: 'demo-spa' },
      { header: { typ: 'JWT' }, omit: ['client_id', 'scope'] },
    );
    await expectRefused(idToken);
    // An ID token whose aud happens to name us is still the wrong type.
    await expectRefused(await fake.sign({ nonce: 'n' }, { header: { typ: 'JWT' } }));
    await expectRefused(randomUUID().replaceAll('-', '') + '.rt'); // opaque refresh token
    await expectRefused(await fake.sign({}, { header: { typ: 'refresh+jwt' } }));
  });

  it('refuses an edited payload', async () => {
    const [header, , signature] = (await fake.sign()).split('.');
    await expectRefused(`${header}.${b64(claims({ roles: ['admin'] }))}.${signature}`);
    const rsa = (await fake.sign({}, { key: fake.keys[1]! })).split('.');
    await expectRefused(`${rsa[0]}.${b64(claims({ sub: 'bob' }))}.${rsa[2]}`);
  });

  it('refuses malformed tokens: segments, base64, JSON, sizes', async () => {
    const valid = await fake.sign();
    const [h, p, s] = valid.split('.') as [string, string, string];
    for (const token of [
      'abc',
      `${h}.${p}`,
      `${h}.${p}.${s}.${s}`,
      `${h}.${p}.${s}.${s}.${s}`, // JWE shape
      `${h}..${s}`,
      `.${p}.${s}`,
      `${h}.${p}.${s}=`,
      `${b64('not json')}.${p}.${s}`,
      `${b64('[]')}.${p}.${s}`,
      `${h}.${b64('not json')}.${s}`,
      `${h}.${b64('[1]')}.${s}`,
      `${h}.${p}.${s}AAAA`,
      `${b64({ alg: 'ES256', kid: 'es-1', typ: 'at+jwt', pad: 'x'.repeat(9000) })}.${p}.${s}`,
    ])
      await expectRefused(token);
    // Characters outside RFC 6750's b64token make the header itself malformed: 400 invalid_request.
    for (const token of [`${h}*.${p}.${s}`, `${h}.${p}!.${s}`, `${h}.${p}.${s} extra`]) {
      const response = await call(token);
      expect(response.statusCode).toBe(400);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="demo", error="invalid_request"');
    }
    // Larger than any header limit: refused before it reaches us (431) — never a 500.
    const huge = await call(`${h}.${'A'.repeat(200_000)}.${s}`);
    expect([401, 431]).toContain(huge.statusCode);
  });

  it('refuses a token signed with a key the issuer never published, even with a known kid', async () => {
    const attacker = await makeKey('ES256', 'es-1');
    await expectRefused(await fake.sign({}, { key: attacker }));
  });

  it('refuses tokens whose signature is valid but made with a different key type via raw node crypto', async () => {
    // Ed25519 signature over the input, claiming EdDSA with the EC key id.
    const { privateKey } = await makeKey('EdDSA', 'ed');
    const input = `${b64({ alg: 'EdDSA', typ: 'at+jwt', kid: 'es-1' })}.${b64(claims())}`;
    const der = createPrivateKey({ key: await exportJWK(privateKey), format: 'jwk' });
    await expectRefused(`${input}.${nodeSign(null, Buffer.from(input), der).toString('base64url')}`);
  });
});
