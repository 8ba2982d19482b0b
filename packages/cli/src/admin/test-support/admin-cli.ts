/** Test support: run admin commands in-process, and a real auth server on the same database. */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach } from 'vitest';
import { buildAuth, type AuthService } from '@rampart/auth';
import { runCli } from '../../cli.js';
import type { Command } from '../../command.js';
import { UsageError } from '../../usage-error.js';
import type { AdminIo } from '../users-command.js';

export const MASTER_KEY = randomBytes(32).toString('base64url');

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `rampart <name> <args…>` through `runCli`'s error handling with the given command (the
 * command table is the lead's; this keeps tests independent of it).
 */
export async function run(
  command: Command,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdin?: string,
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: AdminIo = {
    stdout,
    stderr,
    env,
    cwd: process.cwd(),
    signals: new EventEmitter(),
    ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }),
  };
  const code = await runCommand(command, args, io);
  return { code, out, err };
}

async function runCommand(command: Command, args: readonly string[], io: AdminIo): Promise<number> {
  try {
    return await command.run(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`rampart: ${error.message}\n`);
    return 64;
  }
}

/** `runCli` itself, for the top-level behaviour (help). */
export { runCli };

export function sqliteUrl(): string {
  return `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'rampart-admin-')), 'auth.db')}`;
}

const started: AuthService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.close()));
});

/** A real auth server on `databaseUrl` (closed after the test). */
export async function startAuth(env: NodeJS.ProcessEnv): Promise<AuthService> {
  const app = await buildAuth({
    env: {
      PORT: '0',
      RAMPART_AUTH_ISSUER: 'http://auth.test',
      RAMPART_AUTH_LOG_LEVEL: 'silent',
      RAMPART_AUTH_BOOTSTRAP_ADMIN: 'false',
      ...env,
    },
    argv: [],
  });
  started.push(app);
  return app;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function form(app: AuthService, url: string, body: Record<string, string>, authorization: string) {
  return app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(body).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
  });
}

/** A PKCE pair (RFC 7636 §4.1–4.2, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
