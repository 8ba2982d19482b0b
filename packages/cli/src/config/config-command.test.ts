import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../command.js';
import { runCli } from '../cli.js';

function io(env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const value: CliIo = { stdout, stderr, env, cwd: process.cwd(), signals: new EventEmitter() };
  return { value, out: () => out, err: () => err };
}

describe('rampart config print', () => {
  it('shows every key with its effective value and source, secrets masked', async () => {
    const cli = io({ RAMPART_HELLO_GREETING: 'Howdy', PORT: '9001' });
    const code = await runCli(['config', 'print', 'hello', '--', '--log-level', 'debug'], cli.value);
    expect(code).toBe(0);
    const text = cli.out();
    expect(text).toMatch(/greeting \(dynamic\)\s+"Howdy"\s+env RAMPART_HELLO_GREETING/);
    expect(text).toMatch(/port\s+9001\s+env PORT/);
    expect(text).toMatch(/logLevel \(dynamic\)\s+"debug"\s+flag --log-level/);
    expect(text).toMatch(/shutdown.drainDelayMs\s+5000\s+default/);
  });

  it('prints JSON with --json', async () => {
    const cli = io();
    expect(await runCli(['config', 'print', 'hello', '--json'], cli.value)).toBe(0);
    const entries = JSON.parse(cli.out()) as { key: string; source: string }[];
    expect(entries.find((e) => e.key === 'port')).toMatchObject({ value: '8090', source: 'default' });
  });

  it('reports invalid configuration as the service would, exit 78', async () => {
    const cli = io({ RAMPART_HELLO_PORT: 'x' });
    expect(await runCli(['config', 'print', 'hello'], cli.value)).toBe(78);
    expect(cli.err()).toContain('hello: invalid configuration: port = "x" (from env RAMPART_HELLO_PORT)');
  });

  it('refuses an unknown service with a usage error', async () => {
    const cli = io();
    expect(await runCli(['config', 'print', 'nope'], cli.value)).toBe(64);
    expect(cli.err()).toContain("unknown service 'nope'");
  });
});
