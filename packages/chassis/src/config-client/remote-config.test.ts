import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type Service } from '../service/create-service.js';
import { StartupError } from '../lifecycle/startup-error.js';
import { captureLogs } from '../test-support/log-capture.js';
import { withConfigServerKeys } from './config-server-keys.js';
import { startRemoteConfig, type RemoteConfigChange, type RemoteConfigHandle } from './remote-config.js';
import { startFakeConfigServer, type FakeConfigServer } from './test-support/fake-config-server.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const schema = withConfigServerKeys(
  Type.Object({
    greeting: Type.String({ default: 'hello', dynamic: true }),
    maxItems: Type.Integer({ default: 10, minimum: 1 }),
    apiKey: Type.String({ secret: true }),
  }),
);

/** A service pointed at the config server: createService fetches, layers and attaches. */
async function start(fake: FakeConfigServer, dataDir: string, env: Record<string, string> = {}) {
  const logs = captureLogs();
  const app = await createService({
    name: 'orders',
    config: schema,
    env: { PORT: '0', RAMPART_DATA_DIR: dataDir, RAMPART_CONFIG_SERVER_URL: fake.url, ...env },
    argv: [],
    logDestination: logs,
    remoteConfig: { tokenSource: { getToken: async () => 't' }, backoff: { initialMs: 20, maxMs: 50 } },
  });
  cleanups.push(() => app.close());
  const handle = app.remoteConfig as RemoteConfigHandle;
  return { app: app as Service, handle, logs };
}

function nextChange(handle: RemoteConfigHandle): Promise<RemoteConfigChange> {
  return new Promise((resolve) => {
    const off = handle.onChange((change) => {
      off();
      resolve(change);
    });
  });
}

async function health(app: Service) {
  return (await app.inject({ url: '/health/ready' })).json().checks['config-server:version'][0];
}

describe('startRemoteConfig', () => {
  it('layers the config server under env, registers the schema, applies dynamic keys and reports static ones', async () => {
    const fake = await startFakeConfigServer(
      { greeting: 'hi', maxItems: 3, apiKey: 'k-1', otherService: { x: 1 } },
      ['apiKey'],
    );
    cleanups.push(() => fake.close());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-rc-'));
    const { app, handle, logs } = await start(fake, dataDir, { RAMPART_ORDERS_MAX_ITEMS: '7' });
    await app.start({ handleSignals: false });

    expect(app.config).toMatchObject({ greeting: 'hi', maxItems: 7, apiKey: 'k-1' });
    expect(app.configEntries.find((e) => e.key === 'greeting')?.source).toMatch(
      /^config server .* version 1\)$/,
    );
    expect(fake.schemas.get('orders')).toMatchObject({
      type: 'object',
      properties: { greeting: { type: 'string' } },
    });
    expect(await health(app)).toMatchObject({ status: 'pass', observedValue: 1 });

    let change = nextChange(handle);
    fake.publish({ greeting: 'howdy', maxItems: 3, apiKey: 'k-1', logLevel: 'debug' }, ['apiKey']);
    expect(await change).toMatchObject({
      version: 2,
      applied: ['logLevel', 'greeting'],
      restartRequired: [],
    });
    expect(handle.current()).toMatchObject({ greeting: 'howdy', logLevel: 'debug' });
    expect(app.log.level).toBe('debug');

    change = nextChange(handle);
    fake.publish({ greeting: 'howdy', maxItems: 3, apiKey: 'k-2', logLevel: 'debug' }, ['apiKey']);
    expect(await change).toMatchObject({ version: 3, applied: [], restartRequired: ['apiKey'] });
    expect(handle.current()).toMatchObject({ apiKey: 'k-1' });
    expect(await health(app)).toMatchObject({ status: 'warn', output: 'restart required to apply apiKey' });

    // An invalid version is refused: the current configuration stays, and the refusal is visible.
    const refusedVersion = fake.publish({ greeting: { not: 'a string' }, apiKey: 'k-2' }, ['apiKey']);
    while (!logs.raw.join('').includes(`refused configuration version ${refusedVersion}`))
      await new Promise((r) => setTimeout(r, 10));
    expect(handle.version).toBe(3);
    expect(handle.current()).toMatchObject({ greeting: 'howdy' });
    expect((await health(app)).output).toContain(`refused version ${refusedVersion}`);
    expect(logs.raw.join('')).not.toContain('k-2');
    expect(logs.raw.join('')).not.toContain('k-1');

    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^rampart_config_version 3$/m);
    expect(metrics).toMatch(/^rampart_config_watch_connected 1$/m);
    expect(metrics).toMatch(/^rampart_config_refused_versions_total 1$/m);
    expect(metrics).toMatch(/^rampart_config_age_seconds \d/m);
    expect(metrics).toMatch(/^rampart_config_last_fetch_success_timestamp_seconds \d/m);
  });

  it('starts from the cache when the config server is down (health warn), and refuses to start with neither', async () => {
    const fake = await startFakeConfigServer({ greeting: 'cached', apiKey: 'k-9' }, ['apiKey']);
    cleanups.push(() => fake.close());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-rc-'));
    const first = await start(fake, dataDir);
    await first.app.close();
    await fake.goDown();

    const second = await start(fake, dataDir);
    await second.app.start({ handleSignals: false });
    expect(second.app.config).toMatchObject({ greeting: 'cached', apiKey: 'k-9' });
    expect(second.handle.origin).toBe('cache');
    const check = await health(second.app);
    expect(check.status).toBe('warn');
    expect(check.output).toContain('cached configuration');
    expect((await second.app.inject({ url: '/health/ready' })).statusCode).toBe(200);

    const empty = mkdtempSync(path.join(tmpdir(), 'rampart-rc-'));
    const failed = start(fake, empty);
    await expect(failed).rejects.toBeInstanceOf(StartupError);
    await expect(failed).rejects.toThrow(
      /orders: cannot load its configuration: config server .* unreachable.*no cached configuration/,
    );
  });

  it('does nothing when configServer.url is unset', async () => {
    const remote = await startRemoteConfig({
      service: 'orders',
      schema,
      env: { PORT: '0', RAMPART_ORDERS_API_KEY: 'x' },
      argv: [],
    });
    expect(remote.layer).toBeUndefined();
  });
});
