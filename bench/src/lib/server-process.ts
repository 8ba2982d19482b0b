import { spawn } from 'node:child_process';

export interface ServerProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Bytes the server wrote to stdout so far (its logs), drained and counted, never kept. */
  stdoutBytes(): number;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 15_000;

/**
 * Runs a server script in its own process, so the load generator in this process never competes
 * with it for an event loop. The script announces its port with a stdout line
 * `{"benchListening": <port>}`, possibly among its JSON log lines.
 */
export function startServerProcess(scriptPath: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [scriptPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let bytes = 0;
  let pending = '';
  let port: number | undefined;

  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      child.kill('SIGKILL');
      reject(new Error(`${scriptPath}: ${message}`));
    };
    const timer = setTimeout(
      () => fail(`no {"benchListening": port} line within ${STARTUP_TIMEOUT_MS} ms`),
      STARTUP_TIMEOUT_MS,
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
        port = listeningPort(line);
        if (port === undefined) continue;
        clearTimeout(timer);
        pending = '';
        resolve({
          url: `http://127.0.0.1:${port}`,
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

function listeningPort(line: string): number | undefined {
  if (!line.includes('benchListening')) return undefined;
  try {
    const value = (JSON.parse(line) as { benchListening?: unknown }).benchListening;
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
