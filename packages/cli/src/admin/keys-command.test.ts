import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keysCommand } from './keys-command.js';
import { MASTER_KEY, run, startAuth } from './test-support/admin-cli.js';

describe('rampart keys rotate', () => {
  it('publishes a next key that appears in the JWKS, from the data dir’s master.key', async () => {
    // As `rampart up` leaves it: <dataDir>/auth.db and <dataDir>/master.key.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-keys-'));
    const auth = await startAuth({ RAMPART_DATA_DIR: dataDir });
    const before = (await auth.inject({ url: '/oauth2/jwks' })).json<{ keys: { kid: string }[] }>().keys;
    expect(before).toHaveLength(1);

    const rotated = await run(keysCommand, ['rotate', '--data-dir', dataDir], {});
    expect(rotated.code).toBe(0);
    const kid = /^published signing key (\S+);/.exec(rotated.out)?.[1];
    expect(kid).toBeDefined();
    await auth.authContext.keys.refresh();
    const after = (await auth.inject({ url: '/oauth2/jwks' })).json<{ keys: { kid: string }[] }>().keys;
    expect(after.map((k) => k.kid)).toEqual(expect.arrayContaining([before[0]!.kid, kid]));
    expect((await auth.audit.pending()).map((e) => e.action)).toContain('admin.keys.rotate');

    const again = await run(keysCommand, ['rotate', '--data-dir', dataDir], {});
    expect(again).toMatchObject({
      code: 0,
      out: `signing key ${kid} is already waiting to sign; nothing to do\n`,
    });
  });

  it('refuses a missing or wrong master key with 78, never generating one', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-keys-'));
    const missing = await run(keysCommand, ['rotate', '--data-dir', dataDir], {});
    expect(missing.code).toBe(78);
    expect(missing.err).toContain('no master key: set RAMPART_AUTH_MASTER_KEY');

    await startAuth({ RAMPART_DATA_DIR: dataDir, RAMPART_AUTH_MASTER_KEY: MASTER_KEY });
    writeFileSync(path.join(dataDir, 'master.key'), `${Buffer.alloc(32, 7).toString('base64url')}\n`);
    const wrong = await run(keysCommand, ['rotate', '--data-dir', dataDir], {});
    expect(wrong.code).toBe(78);
    expect(wrong.err).toContain('the master key does not open the stored signing keys');
    const right = await run(keysCommand, ['rotate', '--data-dir', dataDir], {
      RAMPART_AUTH_MASTER_KEY: MASTER_KEY,
    });
    expect(right.code).toBe(0);
  });
});
