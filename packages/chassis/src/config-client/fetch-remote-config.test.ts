import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFile } from './config-cache.js';
import { fetchRemoteConfig, RemoteConfigUnavailableError } from './fetch-remote-config.js';
import { startFakeConfigServer, type FakeConfigServer } from './test-support/fake-config-server.js';
import { watchRemoteConfig } from './watch-remote-config.js';

const servers: FakeConfigServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(values: Record<string, unknown>, secrets: string[] = []) {
  const fake = await startFakeConfigServer(values, secrets);
  servers.push(fake);
  return fake;
}

const tokenSource = { getToken: async () => 'token-1', invalidate: () => undefined };

describe('fetchRemoteConfig', () => {
  it('fetches, caches the last-known-good with secrets sealed, and falls back to the cache', async () => {
    const fake = await server({ db: { host: 'db1', password: 'hunter2-secret' }, maxItems: 3 }, [
      'db.password',
    ]);
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'rampart-cc-'));
    const options = { url: fake.url, app: 'orders', profile: 'production', tokenSource, cacheDir };

    const fresh = await fetchRemoteConfig(options);
    expect(fresh).toMatchObject({
      origin: 'server',
      version: 1,
      values: { db: { password: 'hunter2-secret' } },
    });
    expect(fake.authorizations).toContain('Bearer token-1');
    const file = cacheFile(cacheDir, 'orders', 'production');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(cacheDir, 'config-cache', 'cache.key')).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('db1');
    expect(text).not.toContain('hunter2-secret');

    await fake.goDown();
    const cached = await fetchRemoteConfig(options);
    expect(cached).toMatchObject({
      origin: 'cache',
      version: 1,
      values: { db: { host: 'db1', password: 'hunter2-secret' } },
    });
    expect(cached.error).toMatch(/unreachable/);
  });

  it('says why when the server is unreachable and nothing is cached', async () => {
    const fake = await server({});
    await fake.goDown();
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'rampart-cc-'));
    const attempt = fetchRemoteConfig({
      url: fake.url,
      app: 'orders',
      profile: 'default',
      cacheDir,
      timeoutMs: 500,
    });
    await expect(attempt).rejects.toBeInstanceOf(RemoteConfigUnavailableError);
    await expect(attempt).rejects.toThrow(/unreachable.*no cached configuration/);
  });
});

describe('watchRemoteConfig', () => {
  it('applies new versions, skips refused ones, and reconnects with back-off after an outage', async () => {
    const fake = await server({ a: 1 });
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'rampart-cc-'));
    const applied: number[] = [];
    const refused: number[] = [];
    const connected: boolean[] = [];
    let next: (() => void) | undefined;
    const seen = () => new Promise<void>((resolve) => (next = resolve));
    const watch = watchRemoteConfig({
      url: fake.url,
      app: 'orders',
      profile: 'default',
      version: 1,
      backoff: { initialMs: 20, maxMs: 50 },
      cache: { dir: cacheDir },
      apply: (config) => {
        if (config.values.bad) throw new Error('invalid');
        applied.push(config.version);
      },
      onRefused: (config) => refused.push(config.version),
      onConnected: (c) => connected.push(c),
      onContact: () => next?.(),
    });
    try {
      let contact = seen();
      fake.publish({ a: 2 });
      while (applied.length === 0) await contact.then(() => (contact = seen()));
      expect(applied).toEqual([2]);
      fake.publish({ bad: true });
      while (refused.length === 0) await contact.then(() => (contact = seen()));
      expect(refused).toEqual([3]);
      await fake.goDown();
      while (!connected.includes(false)) await new Promise((r) => setTimeout(r, 10));
      fake.publish({ a: 4 });
      await fake.comeUp();
      while (applied.length < 2) await new Promise((r) => setTimeout(r, 10));
      expect(applied).toEqual([2, 4]);
      expect(connected).toEqual([true, false, true]);
      expect(watch.seenVersion).toBe(4);
    } finally {
      await watch.stop();
    }
  });
});
