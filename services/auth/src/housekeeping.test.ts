import { describe, expect, it } from 'vitest';
import { purgeExpired } from './housekeeping.js';
import { REDIRECT, backends, form, newCode, startAuth, userGrantSetup } from './test-support/harness.js';

for (const backend of backends('housekeeping')) {
  describe.skipIf(backend.skip)(`housekeeping on ${backend.name}`, () => {
    it('purges expired codes, refresh tokens, families and revocations, and keeps live ones', async () => {
      const auth = await startAuth(backend.url());
      const db = auth.app.authContext.db;
      const { authorization } = await userGrantSetup(auth);
      const { code, verifier } = await newCode(auth);
      await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        { authorization },
      );
      await newCode(auth);
      await auth.app.authContext.revocations.record([
        { kind: 'jti', value: 'old', expiresAt: Date.now() - 1 },
        { kind: 'jti', value: 'live', expiresAt: Date.now() + 60_000 },
      ]);

      const none = await purgeExpired(db, 10_000);
      expect(none).toEqual({ codes: 0, refreshTokens: 0, families: 0, accessTokens: 0, revocations: 1 });

      const later = Date.now() + 31 * 86_400_000 + 86_400_000 + 1;
      const purged = await purgeExpired(db, 10_000, later);
      expect(purged).toMatchObject({ codes: 2, refreshTokens: 1, families: 1, revocations: 1 });
      for (const table of [
        'authorization_codes',
        'refresh_tokens',
        'token_families',
        'family_access_tokens',
        'revocations',
      ] as const) {
        expect(await db.selectFrom(table).selectAll().execute()).toEqual([]);
      }
    });
  });
}
