/**
 * `rampart gateway [--workers N]`: the API gateway alone, as N processes sharing its port
 * (node:cluster; default one per core). Rate limits and sessions are shared across workers
 * through REDIS_URL. Configuration is the gateway's own (RAMPART_GATEWAY_*, config file).
 */
import cluster from 'node:cluster';
import type { CliIo, Command } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';

const usage = `Usage: rampart gateway [--workers N]

Runs the API gateway as N worker processes sharing one port (default: one per CPU core).
A worker that dies is replaced; SIGINT/SIGTERM stop every worker gracefully.
Set REDIS_URL so workers (and other gateway machines) share rate limits and sessions.
The gateway reads its usual configuration: RAMPART_GATEWAY_* variables, RAMPART_CONFIG file.

Options:
  --workers N  number of worker processes (≥ 1)
`;

export const gatewayCommand: Command = {
  summary: 'run the API gateway on every core (node:cluster workers sharing one port)',
  usage,
  async run(args, io) {
    if (args.includes('-h') || args.includes('--help')) {
      io.stdout.write(usage);
      return 0;
    }
    const { values, positionals } = parseOptions(args, { workers: { type: 'string' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    let workers: number | undefined;
    if (values.workers !== undefined) {
      workers = Number(values.workers);
      if (!Number.isInteger(workers) || workers < 1) {
        throw new UsageError(`--workers must be a whole number ≥ 1, got '${values.workers}'`);
      }
    }
    const { runGatewayCluster } = await import('@rampart/gateway');
    const stopped = untilStopped(io);
    await runGatewayCluster({
      ...(workers === undefined ? {} : { workers }),
      env: io.env,
      log: (message) => io.stderr.write(`${message}\n`),
    });
    await stopped;
    // The cluster sets 78/69 when a worker cannot start (bad configuration, no dependency).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  },
};

/**
 * Resolves once every worker has exited for good: after a stop signal, or after the cluster gave
 * up on a worker that cannot start. (A crashed worker alone is replaced, so no workers for a
 * moment is not the end.)
 */
function untilStopped(io: CliIo): Promise<void> {
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  io.signals.on('SIGINT', stop);
  io.signals.on('SIGTERM', stop);
  return new Promise((resolve) => {
    const onExit = () => {
      const gaveUp = process.exitCode === 78 || process.exitCode === 69;
      if (Object.keys(cluster.workers ?? {}).length > 0 || !(stopping || gaveUp)) return;
      cluster.off('exit', onExit);
      io.signals.off('SIGINT', stop);
      io.signals.off('SIGTERM', stop);
      resolve();
    };
    cluster.on('exit', onExit);
  });
}
