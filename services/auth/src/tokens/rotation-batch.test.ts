import { describe, expect, it } from 'vitest';
import { ms } from '../db/tables.js';
import { randomToken, sha256 } from '../lib/random.js';
import { backends, startAuth } from '../test-support/harness.js';
import { createFamily } from './families.js';
import { insertRefreshToken, rotateRefreshToken, type Rotation } from './refresh-tokens.js';

const HOUR = 3_600_000;

for (const backend of backends('rotation')) {
  describe.skipIf(backend.skip)(`group-committed rotation on ${backend.name}`, () => {
    async function setup() {
      const { app } = await startAuth(backend.url());
      const db = app.authContext.db;
      const now = Date.now();
      const familyId = await createFamily(
        db,
        {
          clientId: 'web',
          userId: 'alice',
          sessionId: null,
          codeHash: null,
          scope: 'openid',
          resource: null,
          authTime: null,
          absoluteExpiresAt: now + 10 * HOUR,
        },
        now,
      );
      const parent = async () =>
        sha256(
          await insertRefreshToken(
            db,
            { familyId, parentHash: null, scope: 'openid', expiresAt: now + HOUR },
            now,
          ),
        );
      const rotation = (parentHash: string, tag: string): Rotation => ({
        parentHash,
        child: { familyId, parentHash, scope: 'openid', expiresAt: now + HOUR },
        childToken: randomToken(),
        sealedResult: `sealed-${tag}`,
        accessToken: { jti: `jti-${tag}`, expiresAt: now + HOUR },
      });
      return { db, now, parent, rotation };
    }

    it('rotates a batch in one go; of one parent twice in the batch only the first wins', async () => {
      const { db, now, parent, rotation } = await setup();
      const [p1, p2] = [await parent(), await parent()];
      const rotations = [rotation(p1, 'a'), rotation(p2, 'b'), rotation(p1, 'c')];
      // Same event-loop turn: one batch, each with its own time.
      const won = await Promise.all(rotations.map((r, i) => rotateRefreshToken(db, r, now + i)));
      expect(won).toEqual([true, true, false]);

      const rows = await db
        .selectFrom('refresh_tokens')
        .select(['token_hash', 'parent_hash', 'rotated_at', 'rotation_result'])
        .execute();
      const byHash = new Map(rows.map((r) => [r.token_hash, r]));
      expect(ms(byHash.get(p1)!.rotated_at!)).toBe(now);
      expect(byHash.get(p1)!.rotation_result).toBe('sealed-a');
      expect(ms(byHash.get(p2)!.rotated_at!)).toBe(now + 1);
      expect(byHash.get(p2)!.rotation_result).toBe('sealed-b');
      // Children of the winners only, unrotated.
      for (const r of rotations.slice(0, 2)) {
        expect(byHash.get(sha256(r.childToken))).toMatchObject({ rotated_at: null, rotation_result: null });
      }
      expect(byHash.has(sha256(rotations[2]!.childToken))).toBe(false);
      const jtis = await db.selectFrom('family_access_tokens').select('jti').orderBy('jti').execute();
      expect(jtis.map((r) => r.jti)).toEqual(['jti-a', 'jti-b']);
    });

    it('lets a later batch lose on a parent an earlier one rotated', async () => {
      const { db, now, parent, rotation } = await setup();
      const p = await parent();
      expect(await rotateRefreshToken(db, rotation(p, 'first'), now)).toBe(true);
      const late = rotation(p, 'late');
      expect(await rotateRefreshToken(db, late, now + 5)).toBe(false);
      const row = await db
        .selectFrom('refresh_tokens')
        .select(['rotated_at', 'rotation_result'])
        .where('token_hash', '=', p)
        .executeTakeFirstOrThrow();
      expect([ms(row.rotated_at!), row.rotation_result]).toEqual([now, 'sealed-first']);
      const child = await db
        .selectFrom('refresh_tokens')
        .select('token_hash')
        .where('token_hash', '=', sha256(late.childToken))
        .executeTakeFirst();
      expect(child).toBeUndefined();
    });
  });
}
