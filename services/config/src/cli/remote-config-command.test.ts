import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { adminToken, backends, startConfigServer, startIssuer } from '../test-support/harness.js';
import { runRemoteConfig } from './remote-config-command.js';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  return { io: { stdout, stderr, env }, out: () => out.join(''), err: () => err.join('') };
}

describe('rampart config get|set|set-secret|history|diff|rollback', () => {
  it('drives the admin API end to end', async () => {
    const [sqlite] = backends('cli');
    const issuer = await startIssuer();
    const { app } = await startConfigServer(issuer, sqlite!.url(), { listen: true });
    const port = (app.server.address() as { port: number }).port;
    const env = {
      RAMPART_CONFIG_ADMIN_URL: `http://127.0.0.1:${port}/v1/admin`,
      RAMPART_TOKEN: await adminToken(issuer),
    };
    const run = async (...args: string[]) => {
      const t = io(env);
      const code = await runRemoteConfig(args, t.io);
      return { code, out: t.out(), err: t.err() };
    };

    expect(await run('set', 'orders', 'production', 'maxItems=5', 'name=shop', '-m', 'first')).toMatchObject({
      code: 0,
      out: expect.stringContaining('version 1'),
    });
    expect((await run('set', 'orders', 'production', 'maxItems=7')).out).toContain('~ maxItems: 5 → 7');
    const secretFile = path.join(mkdtempSync(path.join(tmpdir(), 'rampart-cli-')), 'pw');
    writeFileSync(secretFile, 'file-secret-123\n');
    const secret = await run('set-secret', 'orders', 'production', 'db.password', '--from-file', secretFile);
    expect(secret.out).toContain('+ db.password = "****"');
    expect(secret.out).not.toContain('file-secret-123');

    const got = await run('get', 'orders', 'production');
    expect(got.out).toContain('orders-production version 3');
    expect(got.out).toContain('db.password = ****');
    expect(got.out).not.toContain('file-secret-123');

    const history = await run('history', 'orders', 'production');
    expect(history.out).toMatch(/version 3 .*admin-1 {2}set/);
    expect(history.out).toContain('"first"');
    expect((await run('diff', 'orders', 'production', '--from', '1', '--to', '2')).out).toContain(
      '~ maxItems: 5 → 7',
    );
    expect((await run('diff', 'orders', 'production')).out).toContain('version 2 → 3');

    const rollback = await run('rollback', 'orders', 'production', '--to', '1');
    expect(rollback).toMatchObject({ code: 0, out: expect.stringContaining('version 4 restores version 1') });
    expect((await run('rollback', 'orders', '--to', '1')).err).toContain('belongs to orders-production');

    const stale = await run('set', 'orders', 'production', 'maxItems=9', '--expect', '1');
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('409');
    expect((await run('set', 'orders')).code).toBe(64);
    expect((await run('frobnicate', 'orders')).code).toBe(64);
    expect((await run('rollback', 'orders')).err).toContain('--to VERSION');
    const denied = await runRemoteConfig(['get', 'orders'], io({ ...env, RAMPART_TOKEN: 'bad' }).io);
    expect(denied).toBe(1);
  });
});
