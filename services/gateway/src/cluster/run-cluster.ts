/**
 * `rampart gateway --workers N`: N gateway processes sharing one port through node:cluster (the
 * primary accepts and hands connections round-robin). Sessions and rate limits are shared across
 * workers only through Redis (`REDIS_URL`); without it each worker counts on its own, which the
 * primary warns about. A worker that dies is replaced; SIGTERM/SIGINT stop every worker gracefully.
 */
import cluster from 'node:cluster';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export interface GatewayClusterOptions {
  /** Default: one per core. */
  workers?: number;
  env?: NodeJS.ProcessEnv;
  /** The script each worker runs; default the gateway's `main.js` next to this file. */
  exec?: string;
  log?: (message: string) => void;
}

export async function runGatewayCluster(options: GatewayClusterOptions = {}): Promise<void> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  if (cluster.isWorker) throw new Error('runGatewayCluster() runs in the primary process');
  // Workers run the gateway's main (not whatever script started the primary: the CLI).
  cluster.setupPrimary({
    exec: options.exec ?? fileURLToPath(new URL('../main.js', import.meta.url)),
    args: [],
    execArgv: withoutEval(process.execArgv),
  });
  const env = options.env ?? process.env;
  const count = Math.max(1, options.workers ?? os.availableParallelism());
  if (count > 1 && !env.REDIS_URL && !env.RAMPART_GATEWAY_REDIS_URL)
    log('gateway: REDIS_URL is not set; each worker keeps its own rate limits and sessions');
  let stopping = false;
  const fork = () => cluster.fork(env);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log(`gateway: worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    // A worker that fails at start-up (bad config: exit 78) would crash-loop; stop instead.
    if (code === 78 || code === 69) {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      process.exitCode = code;
      return;
    }
    setTimeout(fork, 500).unref();
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  for (let i = 0; i < count; i++) fork();
}

/** Node flags for the workers, less an `-e`/`-p` script the primary may have been started with. */
function withoutEval(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (['-e', '--eval', '-p', '--print'].includes(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('--input-type') || arg.startsWith('--eval=') || arg.startsWith('--print=')) continue;
    kept.push(arg);
  }
  return kept;
}
