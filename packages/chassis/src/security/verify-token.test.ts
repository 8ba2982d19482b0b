/** Key-set caching and fetch policy of the verifier, against a real JWKS server on port 0. */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { makeKey, startFakeIssuer, type FakeIssuer } from './test-support/fake-issuer.js';
import { TokenError } from './token-error.js';
import { createTokenVerifier } from './verify-token.js';

const issuers: FakeIssuer[] = [];
async function issuer() {
  const fake = await startFakeIssuer();
  issuers.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(issuers.splice(0).map((f) => f.close()));
});

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return `${(error as TokenError).code}/${(error as TokenError).reason}`;
}

describe('createTokenVerifier', () => {
  it('discovers the JWKS from the issuer and fetches it once for many tokens', async () => {
    const fake = await issuer();
    const verifier = createTokenVerifier({ issuer: fake.issuer, audience: 'orders' });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => fake.sign()));
    const principals = await Promise.all(tokens.map((t) => verifier.verify(t)));
    expect(principals.every((p) => p.sub === 'alice')).toBe(true);
    expect(fake.count('/.well-known/openid-configuration')).toBe(1);
    expect(fake.count('/jwks')).toBe(1);
  });

  it('refetches once for a rotated-in key, and single-flights concurrent unknown kids', async () => {
    const fake = await issuer();
    const verifier = createTokenVerifier({ issuer: fake.issuer, audience: 'orders', cooldownMs: 0 });
    await verifier.verify(await fake.sign());
    const next = await makeKey('ES256', 'es-2');
    fake.jwks.keys.push(next.jwk);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => fake.sign({}, { key: next })));
    await Promise.all(tokens.map((t) => verifier.verify(t)));
    expect(fake.count('/jwks')).toBe(2);
  });

  it('fetches at most once per cool-down for unknown kids', async () => {
    const fake = await issuer();
    const verifier = createTokenVerifier({ issuer: fake.issuer, audience: 'orders', cooldownMs: 60_000 });
    const attacker = await makeKey('ES256', 'x');
    for (let i = 0; i < 20; i++)
      expect(
        await reason(verifier.verify(await fake.sign({}, { key: attacker, header: { kid: randomUUID() } }))),
      ).toBe('invalid_token/unknown_key');
    expect(fake.count('/jwks')).toBe(1);
  });

  it('keeps working on cached keys when the auth server is down; unknown kids fail closed', async () => {
    const fake = await issuer();
    const verifier = createTokenVerifier({
      issuer: fake.issuer,
      audience: 'orders',
      cooldownMs: 0,
      fetchTimeoutMs: 500,
    });
    await verifier.verify(await fake.sign());
    await fake.goDown();
    expect((await verifier.verify(await fake.sign({ sub: 'bob' }))).sub).toBe('bob');
    const unknown = await makeKey('ES256', 'new');
    expect(await reason(verifier.verify(await fake.sign({}, { key: unknown })))).toBe(
      'invalid_token/unknown_key',
    );
    await fake.comeUp();
  });

  it('answers temporarily_unavailable when it never had keys', async () => {
    const fake = await issuer();
    await fake.goDown();
    const verifier = createTokenVerifier({ issuer: fake.issuer, audience: 'orders', fetchTimeoutMs: 500 });
    expect(await reason(verifier.verify(await fake.sign()))).toBe('temporarily_unavailable/keys_unavailable');
    await fake.comeUp();
  });

  it('refuses discovery metadata for another issuer', async () => {
    const fake = await issuer();
    fake.issuer = 'http://impostor.example';
    const verifier = createTokenVerifier({ issuer: fake.url, audience: 'orders', fetchTimeoutMs: 500 });
    expect(await reason(verifier.verify(await fake.sign({ iss: fake.url })))).toBe(
      'temporarily_unavailable/keys_unavailable',
    );
  });

  it('caches verifications, re-checks revocation on every hit, and expires entries at exp', async () => {
    const fake = await issuer();
    const revoked = new Set<string>();
    const verifier = createTokenVerifier({
      issuer: fake.issuer,
      audience: 'orders',
      clockToleranceSec: 0,
      isRevoked: (p) => revoked.has(p.tokenId),
    });
    const token = await fake.sign({ jti: 'j-1' });
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toBe(first); // same object: served from the cache
    revoked.add('j-1');
    expect(await reason(verifier.verify(token))).toBe('invalid_token/revoked');
    const short = await fake.sign({ exp: Math.floor(Date.now() / 1000) + 1 });
    await verifier.verify(short);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await reason(verifier.verify(short))).toBe('invalid_token/expired');
  });

  it('cached(): verified tokens only, each its own principal on a connection that switches tokens', async () => {
    const fake = await issuer();
    const revoked = new Set<string>();
    const verifier = createTokenVerifier({
      issuer: fake.issuer,
      audience: 'orders',
      isRevoked: (principal) => revoked.has(principal.tokenId),
    });
    const alice = await fake.sign();
    const bob = await fake.sign({ sub: 'bob' });
    const connection = {};
    expect(verifier.cached(alice, connection)).toBeUndefined(); // never verified
    await verifier.verify(alice);
    expect(verifier.cached(alice, connection)?.sub).toBe('alice');
    // The connection's remembered token is alice's: bob's, not verified yet, must not match it.
    expect(verifier.cached(bob, connection)).toBeUndefined();
    await verifier.verify(bob);
    expect(verifier.cached(bob, connection)?.sub).toBe('bob');
    expect(verifier.cached(alice, connection)?.sub).toBe('alice');
    // The same token in a fresh string (as every request's header is), and a tampered one.
    expect(verifier.cached([...alice].join(''), connection)?.sub).toBe('alice');
    expect(verifier.cached(`${alice}x`, connection)).toBeUndefined();
    expect(verifier.cached(alice.slice(0, -1), connection)).toBeUndefined();
    // Revocation and a cleared cache apply to a remembered token as to any other.
    revoked.add((await verifier.verify(alice)).tokenId);
    expect(() => verifier.cached(alice, connection)).toThrow(TokenError);
    verifier.clearCache();
    expect(verifier.cached(bob, connection)).toBeUndefined();
    expect(verifier.cached(bob)).toBeUndefined();
  });

  it('drops cached verifications of a key the issuer stopped publishing', async () => {
    const fake = await issuer();
    const verifier = createTokenVerifier({ issuer: fake.issuer, audience: 'orders', cooldownMs: 0 });
    const token = await fake.sign();
    await verifier.verify(token);
    fake.jwks.keys = fake.jwks.keys.filter((k) => k.kid !== 'es-1');
    // any unknown kid makes it refetch; the refetched set no longer has es-1
    await reason(verifier.verify(await fake.sign({}, { key: await makeKey('ES256', 'zz') })));
    expect(await reason(verifier.verify(token))).toBe('invalid_token/unknown_key');
  });

  it('accepts keys published without alg (inferred from the key type) but never symmetric ones', async () => {
    const fake = await issuer();
    fake.jwks.keys = fake.jwks.keys.map(({ alg: _alg, ...rest }) => rest);
    fake.jwks.keys.push({ kty: 'oct', k: 'c2VjcmV0', kid: 'hs' });
    const verifier = createTokenVerifier({ issuer: fake.issuer, audience: 'orders' });
    expect((await verifier.verify(await fake.sign())).sub).toBe('alice');
    expect((await verifier.verify(await fake.sign({}, { key: fake.keys[1]! }))).sub).toBe('alice');
    const { SignJWT } = await import('jose');
    const hs = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256', kid: 'hs', typ: 'at+jwt' })
      .sign(Buffer.from('secret'));
    expect(await reason(verifier.verify(hs))).toBe('invalid_token/unknown_key');
  });

  it('validates its options at construction', () => {
    expect(() => createTokenVerifier({ issuer: 'localhost', audience: 'x' })).toThrow(/issuer/);
    expect(() => createTokenVerifier({ issuer: 'http://a', audience: '' })).toThrow(/audience/);
  });

  it('answers every input with a principal or a TokenError, never anything else (property)', async () => {
    const fake = await issuer();
    const verifier = createTokenVerifier({ issuer: fake.issuer, audience: 'orders', cooldownMs: 60_000 });
    const valid = await fake.sign();
    const [h, p, sig] = valid.split('.') as [string, string, string];
    const segment = fc.oneof(
      fc.constantFrom(h, p, sig, ''),
      fc.base64String().map((b) => b.replace(/=+$/, '')),
      fc.string(),
    );
    const candidate = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.')),
      fc.json().map((json) => `${Buffer.from(json).toString('base64url')}.${p}.${sig}`),
      fc.json().map((json) => `${h}.${Buffer.from(json).toString('base64url')}.${sig}`),
    );
    await fc.assert(
      fc.asyncProperty(candidate, async (token) => {
        const outcome = await verifier.verify(token).then(
          () => 'ok',
          (e: unknown) => (e instanceof TokenError ? 'refused' : e),
        );
        expect(outcome === 'refused' || (outcome === 'ok' && token === valid)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(fake.count('/jwks')).toBeLessThanOrEqual(1);
  });
});
