// The compiled `rampart` bin as a real child process: exit codes, and SIGTERM through real signals.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './up/test-support/free-port.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const fixture = fileURLToPath(new URL('./up/test-fixtures/server.mjs', import.meta.url));

beforeAll(() => {
  // Emit this package only (`-p`, not `-b`; no type check, which is `npm run typecheck`'s job), so
  // the bin under test is current whatever state the packages it references are in.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', packageDir, '--noCheck'], { stdio: 'inherit' });
}, 60_000);

function run(args: string[], script?: string) {
  const argv = script === undefined ? [bin, ...args] : ['--input-type=module', '-e', script, '--', ...args];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('rampart bin', () => {
  it('prints the usage with --help and exits 0', async () => {
    const r = run(['--help']);
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toMatch(/^Usage: rampart <command>/);
    expect(r.stdout()).toMatch(/^ {2}up {2}/m);
  });

  it('prints the command usage with up --help', async () => {
    const r = run(['up', '--help']);
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toMatch(/^Usage: rampart up \[--demo\] \[--data-dir DIR\] \[--no-ipc-tls\]/);
  });

  it.each([
    [['frobnicate'], "rampart: unknown command 'frobnicate'"],
    [['--frobnicate'], "rampart: unknown option '--frobnicate'"],
    [[], 'rampart: missing command'],
    [['up', '--frobnicate'], "rampart up: unknown option '--frobnicate'"],
    [['up', 'extra'], "rampart up: unexpected argument 'extra'"],
  ])('rejects %j with one line and the usage, exit 64', async (args, message) => {
    const r = run(args);
    expect(await r.exited).toBe(64);
    const [first, second] = r.stderr().split('\n');
    expect(first).toBe(message);
    expect(second).toMatch(/^Usage: rampart/);
    expect(r.stdout()).toBe('');
  });

  it('stops every service on SIGTERM and exits 0', async () => {
    const ports = [await freePort(), await freePort()];
    const services = ports.map((port, i) => ({ name: `svc${i}`, port, entry: fixture }));
    // The bin's own code path with a fixture registry instead of the platform's services.
    const upCommand = new URL('../dist/up/up-command.js', import.meta.url).href;
    const script = `
      import { runUp } from ${JSON.stringify(upCommand)};
      const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signals: process };
      process.exitCode = await runUp(process.argv.slice(1), io, ${JSON.stringify(services)});
    `;
    const r = run(['--data-dir', mkdtempSync(join(tmpdir(), 'rampart-bin-'))], script);
    await until(() => r.stderr().includes('rampart: ready'));
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.stderr()).toMatch(/^rampart: stopped$/m);
    const drained = r
      .stdout()
      .split('\n')
      .filter((line) => line.includes('"draining"'));
    expect(drained).toHaveLength(2);
    // Nothing listens any more.
    for (const port of ports) await expect(fetch(`http://127.0.0.1:${port}/health/ready`)).rejects.toThrow();
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
