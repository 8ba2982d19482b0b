import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openSharedState } from '@rampart/store';
import { createService, type Service } from '../service/create-service.js';
import { captureLogs } from '../test-support/log-capture.js';
import { openServiceSharedState } from './service-shared-state.js';

const redisUrl = inject('redisUrl');
const services: Service[] = [];

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

async function service() {
  const app = await createService({
    name: 'stateful',
    env: { PORT: '0', RAMPART_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rampart-state-')) },
    argv: [],
    logDestination: captureLogs(),
  });
  services.push(app);
  return app;
}

async function readiness(app: Service) {
  const res = await app.inject({ method: 'GET', url: '/health/ready' });
  const body = res.json<{ status: string; checks?: Record<string, { status: string }[]> }>();
  return {
    code: res.statusCode,
    status: body.status,
    redis: body.checks?.['redis:responseTime']?.[0]?.status,
  };
}

describe('openServiceSharedState', () => {
  it('is in-process without a URL, with no Redis check', async () => {
    const app = await service();
    const shared = await openServiceSharedState(app, { url: undefined, critical: true });
    expect(shared.kind).toBe('memory');
    await app.start({ handleSignals: false });
    expect(await readiness(app)).toMatchObject({ code: 200, redis: undefined });
  });

  describe.skipIf(redisUrl === null)('on Redis', () => {
    it('reports Redis in health, and closes it with the service', async () => {
      const app = await service();
      const shared = await openServiceSharedState(app, { url: redisUrl!, critical: true });
      expect(shared.kind).toBe('redis');
      await shared.set('k', 'v', { ttlMs: 10_000 });
      await app.start({ handleSignals: false });
      expect(await readiness(app)).toMatchObject({ code: 200, status: 'pass', redis: 'pass' });
      await app.close();
      await expect(shared.ping()).rejects.toThrow();
    });

    it('an unreachable Redis fails readiness when critical, and only warns when not', async () => {
      for (const critical of [true, false]) {
        const app = await service();
        // A real connection that has gone away: every command now fails.
        const broken = await openSharedState({ url: redisUrl!, prefix: 'broken' });
        await broken.close();
        await openServiceSharedState(app, { url: redisUrl!, critical, provided: broken });
        await app.start({ handleSignals: false });
        expect(await readiness(app)).toMatchObject(
          critical
            ? { code: 503, status: 'fail', redis: 'fail' }
            : { code: 200, status: 'warn', redis: 'fail' },
        );
      }
    });
  });
});
