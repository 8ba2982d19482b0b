import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../services.js';
import { jsonLineFormatter } from './log-lines.js';
import { probeReady } from './probe-ready.js';
import { Supervisor, type NoticeLevel, type SupervisorOptions } from './supervisor.js';
import { freePort } from './test-support/free-port.js';

const fixture = (file: string) => fileURLToPath(new URL(`./test-fixtures/${file}`, import.meta.url));
const FAST_BACKOFF = { initialMs: 100, maxMs: 400, resetAfterMs: 60_000 };

interface Harness {
  supervisor: Supervisor;
  logs: string[];
  notices: { message: string; level: NoticeLevel }[];
}

const running: Supervisor[] = [];
afterEach(async () => {
  // A failed assertion must not leave children behind.
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function service(name: string, file: string): Promise<ServiceDefinition> {
  return { name, port: await freePort(), entry: fixture(file) };
}

function supervise(services: ServiceDefinition[], options: Partial<SupervisorOptions> = {}): Harness {
  const logs: string[] = [];
  const notices: Harness['notices'] = [];
  const supervisor = new Supervisor({
    services,
    env: { ...process.env, FIXTURE_COUNTER_FILE: join(mkdtempSync(join(tmpdir(), 'rampart-')), 'n') },
    formatLine: jsonLineFormatter(),
    writeLog: (text) => logs.push(text),
    notice: (message, level) => notices.push({ message, level }),
    backoff: FAST_BACKOFF,
    readinessIntervalMs: 50,
    ...options,
  });
  running.push(supervisor);
  supervisor.start();
  return { supervisor, logs, notices };
}

const messages = (h: Harness) => h.notices.map((n) => n.message);

describe('Supervisor', () => {
  it('restarts a crashing service with exponential backoff until it stays up', async () => {
    const crashy = await service('crashy', 'crash-then-serve.mjs');
    const h = supervise([crashy], {
      env: { ...process.env, FIXTURE_CRASHES: '3', FIXTURE_COUNTER_FILE: tmpFile() },
    });
    await h.supervisor.ready;
    expect(messages(h).filter((m) => m.includes('exited'))).toEqual([
      'rampart: crashy exited with code 1; restarting in 100 ms',
      'rampart: crashy exited with code 1; restarting in 200 ms',
      'rampart: crashy exited with code 1; restarting in 400 ms',
    ]);
    expect(messages(h).at(-1)).toBe('rampart: ready — all 1 service is healthy');
    // The crash messages the child wrote to stderr were kept, as JSON records.
    expect(h.logs.filter((l) => l.includes('crash number'))).toHaveLength(3);
  });

  it('does not restart a service that exits 78 and ends with 78 when nothing else can run', async () => {
    const bad = await service('bad', 'invalid-config.mjs');
    const h = supervise([bad]);
    expect(await h.supervisor.done).toBe(78);
    expect(messages(h)).toEqual(['rampart: bad has an invalid configuration (see above); not restarting']);
    // "see above": the child's own message came out first.
    expect(h.logs.join('')).toContain('PORT must be a number');
  });

  it('keeps the other services running when one has an invalid configuration', async () => {
    const h = supervise([await service('bad', 'invalid-config.mjs'), await service('good', 'server.mjs')]);
    await waitFor(() => messages(h).some((m) => m.includes('bad has an invalid configuration')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messages(h).filter((m) => /restarting in/.test(m))).toEqual([]);
    expect(messages(h).some((m) => m.startsWith('rampart: ready'))).toBe(false);
    await h.supervisor.stop();
    expect(await h.supervisor.done).toBe(0);
  });

  it('announces readiness once, only when every service is ready', async () => {
    const fast = await service('fast', 'server.mjs');
    const slow = await service('slow', 'server.mjs');
    const started = Date.now();
    const h = supervise([fast, slow], {
      env: { ...process.env, [`FIXTURE_READY_DELAY_MS_${slow.port}`]: '800' },
    });
    await waitFor(() => h.logs.length >= 2);
    await waitUntil(() => probeReady(fast.port));
    expect(messages(h)).toEqual([]);
    await h.supervisor.ready;
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(messages(h)).toEqual(['rampart: ready — all 2 services are healthy']);
  });

  it('stops every child with SIGTERM and reports when all have exited', async () => {
    const h = supervise([await service('a', 'server.mjs'), await service('b', 'server.mjs')]);
    await h.supervisor.ready;
    await h.supervisor.stop();
    expect(await h.supervisor.done).toBe(0);
    expect(h.logs.filter((l) => l.includes('"draining"'))).toHaveLength(2);
    expect(messages(h).at(-1)).toBe('rampart: stopped');
  });

  it('kills a child that does not stop within the grace period', async () => {
    const h = supervise([await service('stubborn', 'ignores-sigterm.mjs')], { gracePeriodMs: 300 });
    await h.supervisor.ready;
    const started = Date.now();
    await h.supervisor.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(messages(h)).toContain('rampart: services did not stop in time; killing them');
    expect(messages(h).at(-1)).toBe('rampart: stopped');
  });

  it('keeps non-TTY output one JSON object per line whatever the child prints', async () => {
    const h = supervise([await service('noisy', 'server.mjs')], {
      env: { ...process.env, FIXTURE_NOISE: '1' },
    });
    await h.supervisor.ready;
    await waitFor(() => h.logs.some((l) => l.includes('a warning on stderr')));
    await h.supervisor.stop();
    const lines = h.logs.join('').trimEnd().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({ msg: 'plain text, not JSON', 'service.name': 'noisy' }),
    );
    expect(records).toContainEqual(expect.objectContaining({ msg: 'multi\nline', value: 'a\nb\u001b[31m' }));
    expect(records).toContainEqual(expect.objectContaining({ msg: 'a warning on stderr', level: 'error' }));
  });
});

function tmpFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'rampart-')), 'n');
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
