import type { CliIo, Command } from './command.js';
import { configCommand } from './config/config-command.js';
import { clientsCommand } from './admin/clients-command.js';
import { gatewayCommand } from './admin/gateway-command.js';
import { keysCommand } from './admin/keys-command.js';
import { usersCommand } from './admin/users-command.js';
import { upCommand } from './up/up-command.js';
import { EX_USAGE, UsageError } from './usage-error.js';

/**
 * Every `rampart` sub-command. To add one, write `src/<name>/<name>-command.ts` exporting a
 * `Command` and list it here; `rampart --help` picks it up.
 */
const commands: Readonly<Record<string, Command>> = {
  up: upCommand,
  config: configCommand,
  users: usersCommand,
  clients: clientsCommand,
  keys: keysCommand,
  gateway: gatewayCommand,
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const list = Object.entries(commands).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  return [
    'Usage: rampart <command> [options]',
    '',
    'Commands:',
    ...list,
    '',
    'Options:',
    '  -h, --help  show this help; `rampart <command> --help` shows a command’s options',
    '',
  ].join('\n');
}

/** Runs `rampart <argv…>` and resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(usage());
    return 0;
  }
  const command = name === undefined ? undefined : Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    const problem =
      name === undefined
        ? 'missing command'
        : name.startsWith('-')
          ? `unknown option '${name}'`
          : `unknown command '${name}'`;
    io.stderr.write(`rampart: ${problem}\n${usage()}`);
    return EX_USAGE;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`rampart ${name}: ${error.message}\n${command.usage}`);
    return EX_USAGE;
  }
}
