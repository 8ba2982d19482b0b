import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo, Command } from '../command.js';
import { parseOptions } from '../parse-options.js';
import type { ServiceDefinition } from '../services.js';
import { platformPlan, renewDevPki } from './platform-plan.js';
import { UsageError } from '../usage-error.js';
import { childEnv } from './child-env.js';
import { jsonLineFormatter, prettyLineFormatter } from './log-lines.js';
import { Supervisor, type NoticeLevel } from './supervisor.js';

const USAGE = `Usage: rampart up [--demo] [--data-dir DIR] [--no-ipc-tls]

Starts every Rampart service, prints its URL, restarts the ones that crash and says
"rampart: ready" once all of them answer /health/ready. Ctrl-C stops them gracefully;
a second Ctrl-C kills them.

Options:
  --demo            seed the demo users and clients (never in production)
  --data-dir DIR    where services keep their data (default: ./.rampart)
  --no-ipc-tls      plain HTTP between services instead of mutual TLS
  -h, --help        show this help
`;

const OPTIONS = {
  demo: { type: 'boolean' },
  'data-dir': { type: 'string' },
  // util.parseArgs only learned `allowNegative` in Node 22.4, so the negation is its own flag.
  'no-ipc-tls': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const upCommand: Command = {
  summary: 'start every service, restart the ones that crash, stop them all on Ctrl-C',
  usage: USAGE,
  run: (args, io) => runUp(args, io),
};

/** `rampart up`; `services` is a parameter so tests can supervise their own fixtures. */
export async function runUp(
  args: readonly string[],
  io: CliIo,
  fixtures?: readonly ServiceDefinition[],
): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS);
  if (values.help === true) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (values['data-dir'] === '') throw new UsageError('--data-dir needs a directory');

  const dataDir = resolve(io.cwd, values['data-dir'] ?? '.rampart');
  mkdirSync(dataDir, { recursive: true });
  const ipcTls = values['no-ipc-tls'] !== true;
  const services = fixtures ?? (await platformPlan({ dataDir, ipcTls }));
  const missing = services.filter((service) => !existsSync(service.entry));
  if (missing.length > 0) {
    for (const { name, entry } of missing) io.stderr.write(`rampart: ${name} is not built (no ${entry})\n`);
    io.stderr.write('rampart: run `npm run build` first (`npm start` builds and starts)\n');
    return 1;
  }

  const env = childEnv(io.env, {
    dataDir,
    demo: values.demo === true,
    ipcTls,
  });

  const tty = io.stdout.isTTY === true;
  const notice = noticeWriter(io, tty);
  const supervisor = new Supervisor({
    services,
    env,
    formatLine: tty ? prettyLineFormatter(services.map((s) => s.name)) : jsonLineFormatter(),
    writeLog: (text) => io.stdout.write(text),
    notice,
  });

  const width = Math.max(...services.map((s) => s.name.length));
  notice(
    `rampart: starting ${services.length} service${services.length === 1 ? '' : 's'} (data in ${dataDir})`,
    'info',
  );
  for (const { name, port, url } of services)
    notice(`  ${name.padEnd(width)}  ${url ?? `http://localhost:${port}`}`, 'info');

  let signals = 0;
  const onSignal = () => {
    signals += 1;
    notice(signals === 1 ? 'rampart: stopping (Ctrl-C again to kill)' : 'rampart: killing', 'info');
    void supervisor.stop();
  };
  // If rampart itself dies, its children must not outlive it holding the ports.
  const onExit = () => supervisor.kill();
  io.signals.on('SIGINT', onSignal);
  io.signals.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  // Certificates last 90 days and are renewed within 30 of expiry, however long `up` runs.
  const renewal =
    ipcTls && fixtures === undefined
      ? setInterval(() => {
          renewDevPki(dataDir).then(
            (issued) => {
              if (issued.length > 0) notice(`rampart: renewed certificates: ${issued.join(', ')}`, 'info');
            },
            (error: unknown) =>
              notice(`rampart: certificate renewal failed: ${(error as Error).message}`, 'warn'),
          );
        }, 12 * 3_600_000)
      : undefined;
  renewal?.unref();
  try {
    supervisor.start();
    return await supervisor.done;
  } finally {
    clearInterval(renewal);
    io.signals.off('SIGINT', onSignal);
    io.signals.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  }
}

/**
 * rampart's own messages. On a terminal they go to stdout among the services' logs. Otherwise
 * stdout stays one JSON object per line (a record from `service.name` "rampart"), and the plain
 * message goes to stderr for whoever watches the process.
 */
function noticeWriter(io: CliIo, tty: boolean): (message: string, level: NoticeLevel) => void {
  if (tty) return (message) => io.stdout.write(`${message}\n`);
  return (message, level) => {
    io.stderr.write(`${message}\n`);
    const record = { time: new Date().toISOString(), level, 'service.name': 'rampart', msg: message.trim() };
    io.stdout.write(`${JSON.stringify(record)}\n`);
  };
}
