import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { addClient, backends, basic, form, startAuth } from '../test-support/harness.js';
import { KeyManager } from './key-manager.js';
import { parseMasterKey } from './master-key.js';
import { randomBytes } from 'node:crypto';

async function jwks(app: Awaited<ReturnType<typeof startAuth>>['app']) {
  return (await app.inject({ url: '/oauth2/jwks' })).json<{ keys: { kid: string }[] }>();
}

for (const backend of backends('keys')) {
  describe.skipIf(backend.skip)(`signing-key rotation on ${backend.name}`, () => {
    it('publishes a new key before it signs, and keeps the old one until its tokens expired', async () => {
      const { app } = await startAuth(backend.url(), {
        env: { RAMPART_AUTH_KEY_PUBLICATION_SECONDS: '600' },
      });
      const keys = app.authContext.keys;
      const { secret } = await addClient(app, { clientId: 'c1' });
      const issue = async () =>
        (
          await form(
            app,
            '/oauth2/token',
            { grant_type: 'client_credentials' },
            { authorization: basic('c1', secret!) },
          )
        ).json().access_token as string;
      const before = await issue();
      const oldKid = decodeProtectedHeader(before).kid;

      const t0 = Date.now();
      const { kid: newKid, created } = await keys.rotate(t0);
      expect(created).toBe(true);
      // Published at once…
      expect((await jwks(app)).keys.map((k) => k.kid)).toEqual([oldKid, newKid]);
      // …but not signing yet.
      expect(decodeProtectedHeader(await issue()).kid).toBe(oldKid);

      await keys.refresh(t0 + 600_000);
      const after = await issue();
      expect(decodeProtectedHeader(after).kid).toBe(newKid);
      const set = createLocalJWKSet(await jwks(app));
      await expect(jwtVerify(before, set)).resolves.toBeTruthy();
      await expect(jwtVerify(after, set)).resolves.toBeTruthy();

      // The retired key leaves once every token it signed has expired (plus the publication margin).
      await keys.refresh(t0 + 600_000 + 300_000 + 600_000 - 1);
      expect((await jwks(app)).keys.map((k) => k.kid)).toContain(oldKid);
      await keys.refresh(t0 + 600_000 + 300_000 + 600_000 + 1);
      expect((await jwks(app)).keys.map((k) => k.kid)).toEqual([newKid]);
    });

    it('rotates automatically after the rotation period', async () => {
      const { app } = await startAuth(backend.url(), { env: { RAMPART_AUTH_KEY_ROTATION_DAYS: '1' } });
      const keys = app.authContext.keys;
      const kid = keys.signer.kid;
      await keys.refresh(Date.now() + 86_400_000 + 1);
      expect(keys.jwks.keys).toHaveLength(2);
      expect(keys.signer.kid).toBe(kid);
    });

    it('keeps private keys encrypted at rest under the master key', async () => {
      const { app } = await startAuth(backend.url());
      const row = await app.authContext.db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
      expect(row.private_jwk).toMatch(/^v1\./);
      expect(row.private_jwk).not.toContain('"d"');
      const wrong = new KeyManager(
        app.authContext.db,
        parseMasterKey(randomBytes(32).toString('base64url')),
        {
          alg: 'ES256',
          publicationMs: 0,
          rotationMs: 0,
          maxTokenLifetimeMs: async () => 0,
        },
      );
      await expect(wrong.refresh()).rejects.toThrow(/master key/);
    });
  });
}
