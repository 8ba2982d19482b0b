import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export interface ServerProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The listening line as parsed: `benchListening` and whatever else the script put there. */
  readonly info: Readonly<Record<string, unknown>>;
  /** Bytes the server wrote to stdout so far (its logs, kept in a temporary file until stop()). */
  stdoutBytes(): number;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Longest wait for the listening line. Default 15 s. */
  readonly startupTimeoutMs?: number;
}

/**
 * Runs a server script in its own process, so the load generator in this process never competes
 * with it for an event loop. Its stdout (its logs) goes to a temporary file, as nginx's access log
 * does: through a pipe, this process would spend the load generator's CPU reading them. The script
 * announces its port with a stdout line `{"benchListening": <port>}`, possibly among its JSON log
 * lines; other fields of that line (a token it signed, refresh tokens it issued) come back as `info`.
 */
// Every server process, baselines included, loads the chassis' nextTick pin before its own modules
// (`--import`; see @rampart/chassis/pin-tick-object), as Rampart's entry points do: the rows then
// compare servers, not whether V8 lost nextTick's shapes while that process loaded its modules.
// The compiled file, also when the test runner resolves workspace packages to their sources: the
// child is plain Node.
const PIN = import.meta
  .resolve('@rampart/chassis/pin-tick-object')
  .replace(/\/src\/(.+)\.ts$/, '/dist/$1.js');

export function startServerProcess(scriptPath: string, options: StartOptions = {}): Promise<ServerProcess> {
  const { env = {}, startupTimeoutMs = 15_000 } = options;
  const dir = mkdtempSync(join(tmpdir(), `rampart-bench-${basename(scriptPath, '.js')}-`));
  const logFile = join(dir, 'stdout.log');
  const out = openSync(logFile, 'w+');
  const child = spawn(process.execPath, ['--import', PIN, scriptPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = () => {
    closeSync(out);
    rmSync(dir, { recursive: true, force: true });
  };
  let read = 0;
  let pending = '';

  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      clearInterval(poll);
      clearTimeout(timer);
      child.kill('SIGKILL');
      void exited.then(cleanup);
      reject(new Error(`${scriptPath}: ${message}`));
    };
    const timer = setTimeout(
      () => fail(`no {"benchListening": port} line within ${startupTimeoutMs} ms`),
      startupTimeoutMs,
    );
    let listening = false;
    child.once('exit', (code, signal) => {
      if (!listening) fail(`exited (${code ?? signal}) before listening`);
    });
    const chunk = Buffer.alloc(64 * 1024);
    const poll = setInterval(() => {
      let n: number;
      while ((n = readSync(out, chunk, 0, chunk.length, read)) > 0) {
        read += n;
        pending += chunk.toString('utf8', 0, n);
      }
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const announced = listeningLine(line);
        if (announced === undefined) continue;
        listening = true;
        clearInterval(poll);
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${announced.port}`,
          info: announced.info,
          stdoutBytes: () => fstatSync(out).size,
          stop: async (graceMs = 5000) => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGTERM');
              const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
              await exited;
              clearTimeout(kill);
            }
            cleanup();
          },
        });
        return;
      }
    }, 20);
  });
}

function listeningLine(line: string): { port: number; info: Record<string, unknown> } | undefined {
  if (!line.includes('benchListening')) return undefined;
  try {
    const info = JSON.parse(line) as Record<string, unknown>;
    const port = info.benchListening;
    return typeof port === 'number' && Number.isInteger(port) && port > 0 ? { port, info } : undefined;
  } catch {
    return undefined;
  }
}
