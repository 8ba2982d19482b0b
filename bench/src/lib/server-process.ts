import { spawn } from 'node:child_process';

export interface ServerProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The listening line as parsed: `benchListening` and whatever else the script put there. */
  readonly info: Readonly<Record<string, unknown>>;
  /** Bytes the server wrote to stdout so far (its logs), drained and counted, never kept. */
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
 * with it for an event loop. The script announces its port with a stdout line
 * `{"benchListening": <port>}`, possibly among its JSON log lines; other fields of that line (a
 * token it signed, refresh tokens it issued) come back as `info`.
 */
export function startServerProcess(scriptPath: string, options: StartOptions = {}): Promise<ServerProcess> {
  const { env = {}, startupTimeoutMs = 15_000 } = options;
  const child = spawn(process.execPath, [scriptPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let bytes = 0;
  let pending = '';
  let port: number | undefined;
  let info: Record<string, unknown> = {};

  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      child.kill('SIGKILL');
      reject(new Error(`${scriptPath}: ${message}`));
    };
    const timer = setTimeout(
      () => fail(`no {"benchListening": port} line within ${startupTimeoutMs} ms`),
      startupTimeoutMs,
    );
    child.once('exit', (code, signal) => {
      if (port === undefined) {
        clearTimeout(timer);
        fail(`exited (${code ?? signal}) before listening`);
      }
    });
    // Always drain stdout: a server blocked on a full pipe would measure the pipe, not itself.
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (port !== undefined) return;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const listening = listeningLine(line);
        if (listening === undefined) continue;
        port = listening.port;
        info = listening.info;
        clearTimeout(timer);
        pending = '';
        resolve({
          url: `http://127.0.0.1:${port}`,
          info,
          stdoutBytes: () => bytes,
          stop: async (graceMs = 5000) => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
            await exited;
            clearTimeout(kill);
          },
        });
        return;
      }
    });
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
