/**
 * `rampart users add|list|disable|roles`: the auth server's users and roles, on its database.
 * The password never goes on the command line (shell history, `ps`): `--password-stdin` reads
 * one line, or RAMPART_USER_PASSWORD holds it.
 */
import type { UserRecord } from '@rampart/auth';
import type { CliIo, Command } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { formatTable } from './format-table.js';
import { readFirstLine } from './read-line.js';
import { DATA_DIR_USAGE, dataDirOption, EX_DATAERR, runAdmin } from './run-admin.js';

/** `CliIo` plus the stream `--password-stdin` reads (default `process.stdin`). */
export type AdminIo = CliIo & { readonly stdin?: NodeJS.ReadableStream };

const usage = `Usage: rampart users add <username> [--role ROLE]… [--name NAME] [--email EMAIL] [--password-stdin]
       rampart users list [--json]
       rampart users disable <username>
       rampart users roles <username> [ROLE…]

add      creates a user; the password comes from one line on stdin (--password-stdin)
         or from RAMPART_USER_PASSWORD — never from a flag
list     every user with roles and status
disable  the user can no longer sign in; its sessions end and its tokens are revoked
         (running gateways and services deny them within seconds)
roles    replaces the user's roles (tokens issued from now on carry them)

Options:
${DATA_DIR_USAGE}
Examples:
  printf '%s\\n' "$PASSWORD" | rampart users add alice --role admin --password-stdin
  rampart users roles alice admin auditor
`;

export const usersCommand: Command = {
  summary: 'add, list and disable users and set their roles (the auth server’s database)',
  usage,
  async run(args, io: AdminIo) {
    const [action, ...rest] = args;
    if (action === '-h' || action === '--help' || rest.includes('-h') || rest.includes('--help')) {
      io.stdout.write(usage);
      return 0;
    }
    switch (action) {
      case 'add':
        return add(rest, io);
      case 'list':
        return list(rest, io);
      case 'disable':
        return disable(rest, io);
      case 'roles':
        return roles(rest, io);
      default:
        throw new UsageError(action === undefined ? 'missing action' : `unknown action '${action}'`);
    }
  },
};

async function add(args: readonly string[], io: AdminIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...dataDirOption,
    role: { type: 'string', multiple: true },
    name: { type: 'string' },
    email: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  const username = onePositional(positionals, 'username');
  let password: string | undefined;
  if (values['password-stdin']) {
    password = await readFirstLine(io.stdin ?? process.stdin);
    if (!password) {
      io.stderr.write('rampart users: no password on stdin\n');
      return EX_DATAERR;
    }
  } else {
    password = io.env.RAMPART_USER_PASSWORD;
    if (!password)
      throw new UsageError('missing password: use --password-stdin or set RAMPART_USER_PASSWORD');
  }
  const input = { username, password, roles: values.role ?? [], name: values.name, email: values.email };
  return runAdmin('users', io, values['data-dir'], async (admin) => {
    const user = await admin.addUser(input);
    io.stdout.write(`added user ${user.username} (id ${user.id}, roles: ${rolesText(user)})\n`);
    return 0;
  });
}

async function list(args: readonly string[], io: AdminIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...dataDirOption, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  return runAdmin('users', io, values['data-dir'], async (admin) => {
    const users = await admin.listUsers();
    io.stdout.write(values.json ? `${JSON.stringify(users, null, 2)}\n` : table(users));
    return 0;
  });
}

async function disable(args: readonly string[], io: AdminIo): Promise<number> {
  const { values, positionals } = parseOptions(args, dataDirOption);
  const username = onePositional(positionals, 'username');
  return runAdmin('users', io, values['data-dir'], async (admin) => {
    const { user, revokedFamilies } = await admin.disableUser(username);
    io.stdout.write(
      `disabled user ${user.username}; revoked ${revokedFamilies} refresh-token famil${revokedFamilies === 1 ? 'y' : 'ies'}\n`,
    );
    return 0;
  });
}

async function roles(args: readonly string[], io: AdminIo): Promise<number> {
  const { values, positionals } = parseOptions(args, dataDirOption);
  const [username, ...wanted] = positionals;
  if (username === undefined) throw new UsageError('missing username');
  return runAdmin('users', io, values['data-dir'], async (admin) => {
    const user = await admin.setRoles(username, wanted);
    io.stdout.write(`${user.username}: roles ${rolesText(user)}\n`);
    return 0;
  });
}

function onePositional(positionals: readonly string[], name: string): string {
  const [value, extra] = positionals;
  if (value === undefined) throw new UsageError(`missing ${name}`);
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  return value;
}

function rolesText(user: UserRecord): string {
  return user.roles.length > 0 ? user.roles.join(', ') : '(none)';
}

function table(users: readonly UserRecord[]): string {
  if (users.length === 0) return 'no users\n';
  return formatTable(
    ['USERNAME', 'ROLES', 'STATUS', 'NAME', 'EMAIL'],
    users.map((u) => [
      u.username,
      u.roles.join(',') || '-',
      u.disabled ? 'disabled' : 'active',
      u.name ?? '-',
      u.email ?? '-',
    ]),
  );
}
