import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../command.js';
import { runUp } from './up-command.js';
import { freePort } from './test-support/free-port.js';

const fixture = (file: string) => fileURLToPath(new URL(`./test-fixtures/${file}`, import.meta.url));

function captureIo(options: { tty?: boolean } = {}) {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const signals = new EventEmitter();
  const cwd = mkdtempSync(join(tmpdir(), 'rampart-up-'));
  const io: CliIo = { stdout, stderr, env: { ...process.env }, cwd, signals };
  return { io, signals, cwd, stdout: () => out.join(''), stderr: () => err.join('') };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('rampart up', () => {
  it('starts the services with the data directory and demo flag, and stops on SIGTERM', async () => {
    const c = captureIo();
    const port = await freePort();
    const exit = runUp(['--demo', '--data-dir', 'state'], c.io, [
      { name: 'svc', port, entry: fixture('server.mjs') },
    ]);
    await until(() => c.stderr().includes('rampart: ready'));
    expect(existsSync(join(c.cwd, 'state'))).toBe(true);
    expect(c.stderr()).toContain(`  svc  http://localhost:${port}\n`);
    expect(c.stderr()).toMatch(/^rampart: ready — all 1 service is healthy$/m);
    c.signals.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(c.stderr()).toMatch(/^rampart: stopped$/m);

    // Non-TTY stdout: one JSON object per line, rampart's own messages included.
    const records = c
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ msg: 'listening', port, demo: '1' }));
    expect(records).toContainEqual(
      expect.objectContaining({
        'service.name': 'rampart',
        msg: 'rampart: ready — all 1 service is healthy',
      }),
    );
    expect(c.signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('pretty-prints on a terminal, with rampart messages among the logs', async () => {
    const c = captureIo({ tty: true });
    const exit = runUp([], c.io, [{ name: 'svc', port: await freePort(), entry: fixture('server.mjs') }]);
    await until(() => c.stdout().includes('rampart: ready'));
    c.signals.emit('SIGINT');
    expect(await exit).toBe(0);
    expect(c.stdout()).toMatch(/^svc \| \[[\d:.]+\] .*INFO.*listening/m);
    expect(c.stderr()).toBe('');
  });

  it('exits 78 when no service has a valid configuration', async () => {
    const c = captureIo();
    const code = await runUp([], c.io, [
      { name: 'bad', port: await freePort(), entry: fixture('invalid-config.mjs') },
    ]);
    expect(code).toBe(78);
    expect(c.stderr()).toContain('rampart: bad has an invalid configuration (see above); not restarting');
  });

  it('refuses to start when a service is not built', async () => {
    const c = captureIo();
    const code = await runUp([], c.io, [{ name: 'ghost', port: 1, entry: '/nonexistent/main.js' }]);
    expect(code).toBe(1);
    expect(c.stderr()).toContain('rampart: ghost is not built (no /nonexistent/main.js)');
  });
});
