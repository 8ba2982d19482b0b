/**
 * The `rampart config get|set|set-secret|history|diff|rollback` sub-commands as one object with
 * the shape of the CLI's `Command` (packages/cli/src/command.ts): `run(args, io)` resolves with
 * the exit code. `args` starts with the action: `['set', 'orders', 'production', 'maxItems=5']`.
 */
import { parseArgs } from 'node:util';
import { AdminApiError, adminApi, type AdminApi, type CliIo } from './admin-api.js';
import {
  configDiff,
  configGet,
  configHistory,
  configRollback,
  configSet,
  configSetSecret,
  parseAssignment,
} from './config-commands.js';

const EX_USAGE = 64;
const EX_UNAVAILABLE = 69;
// Through the gateway (`rampart up`): /admin/config/* → the config server's /v1/admin/*.
const DEFAULT_URL = 'http://localhost:8080/admin/config';

export const REMOTE_CONFIG_ACTIONS = ['get', 'set', 'set-secret', 'history', 'diff', 'rollback'] as const;

const usage = `Usage: rampart config <action> <app> [<profile>] [options]

Reads and changes configuration on the config server (role admin).
  get <app> [<profile>]                       the stored document (secrets as ****) and the effective layering
  set <app> [<profile>] key=value… [--unset key]… [-m message]
  set-secret <app> [<profile>] key[=value] [--from-file FILE | --from-env VAR] [-m message]
  history <app> [<profile>] [--limit N]
  diff <app> [<profile>] [--from N --to M]    default: the last change
  rollback <app> [<profile>] --to N [-m message]

Options: --url URL (env RAMPART_CONFIG_ADMIN_URL, default ${DEFAULT_URL}),
         --token TOKEN (env RAMPART_TOKEN), --expect VERSION (default: the current version), --json
Values are JSON when they parse (5, true, ["a"]), strings otherwise. <app> 'application' is shared by all.

Examples:
  rampart config set orders production maxItems=50 -m "black friday"
  rampart config set-secret orders production db.password --from-file ./pw.txt
  rampart config rollback orders production --to 12
`;

const options = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  message: { type: 'string', short: 'm' },
  expect: { type: 'string' },
  unset: { type: 'string', multiple: true },
  'from-file': { type: 'string' },
  'from-env': { type: 'string' },
  limit: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class Usage extends Error {}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new Usage(`--${name} expects a version number, got '${value}'`);
  return Number(value);
}

async function dispatch(
  action: string,
  rest: readonly string[],
  io: CliIo,
  makeApi: (url: string, token: string | undefined) => AdminApi,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new Usage((error as Error).message.split(/\.(?:\s|$)/)[0] ?? 'invalid options');
  }
  const { values, positionals } = parsed;
  const [app, ...more] = positionals;
  if (!app) throw new Usage('missing <app>');
  // <profile> is optional: for set-secret it is there when two words follow <app>; for the others
  // when the next word is not a key=value.
  const profile =
    action === 'set-secret'
      ? more.length > 1
        ? more.shift()
        : undefined
      : more[0] !== undefined && !more[0].includes('=')
        ? more.shift()
        : undefined;
  if (action !== 'set' && action !== 'set-secret' && more.length > 0)
    throw new Usage(`unexpected argument '${more[0]}'`);
  const api = makeApi(
    values.url ?? io.env.RAMPART_CONFIG_ADMIN_URL ?? DEFAULT_URL,
    values.token ?? io.env.RAMPART_TOKEN,
  );
  const source = { app, profile, json: values.json };
  const common = { message: values.message, expect: integer('expect', values.expect) };
  switch (action) {
    case 'get':
      return configGet(api, source, io);
    case 'set': {
      if (more.length === 0 && !values.unset?.length)
        throw new Usage('nothing to set: give key=value or --unset key');
      const set = Object.fromEntries(
        more.map((text) => {
          try {
            return parseAssignment(text);
          } catch (error) {
            throw new Usage((error as Error).message);
          }
        }),
      );
      return configSet(api, { ...source, ...common, set, unset: values.unset ?? [] }, io);
    }
    case 'set-secret': {
      const [assignment] = more;
      if (!assignment) throw new Usage('missing the secret key');
      const at = assignment.indexOf('=');
      const key = at < 0 ? assignment : assignment.slice(0, at);
      const value = at < 0 ? undefined : assignment.slice(at + 1);
      return configSetSecret(
        api,
        { ...source, ...common, key, value, fromFile: values['from-file'], fromEnv: values['from-env'] },
        io,
      );
    }
    case 'history':
      return configHistory(api, { ...source, limit: integer('limit', values.limit) }, io);
    case 'diff':
      return configDiff(
        api,
        { ...source, from: integer('from', values.from), to: integer('to', values.to) },
        io,
      );
    case 'rollback': {
      const to = integer('to', values.to);
      if (to === undefined) throw new Usage('rollback needs --to VERSION');
      return configRollback(api, { ...source, ...common, to }, io);
    }
    default:
      throw new Usage(`unknown action '${action}'`);
  }
}

/** Runs one action; `makeApi` lets tests point it elsewhere. */
export async function runRemoteConfig(
  args: readonly string[],
  io: CliIo,
  makeApi: (url: string, token: string | undefined) => AdminApi = (url, token) => adminApi(url, token),
): Promise<number> {
  const [action, ...rest] = args;
  if (
    action === undefined ||
    action === '-h' ||
    action === '--help' ||
    rest.includes('--help') ||
    rest.includes('-h')
  ) {
    io.stdout.write(usage);
    return action === undefined ? EX_USAGE : 0;
  }
  try {
    return await dispatch(action, rest, io, makeApi);
  } catch (error) {
    if (error instanceof Usage) {
      io.stderr.write(`rampart config ${action}: ${error.message}\n${usage}`);
      return EX_USAGE;
    }
    if (error instanceof AdminApiError) {
      const hint =
        error.status === 409
          ? ' (someone changed it meanwhile: run the command again to apply it on top)'
          : '';
      const errors = Array.isArray(error.body.errors)
        ? (error.body.errors as { app: string; profile: string; path: string; message: string }[])
            .map((e) => `\n  ${e.app}${e.profile ? `-${e.profile}` : ''} ${e.path}: ${e.message}`)
            .join('')
        : '';
      io.stderr.write(`rampart config ${action}: ${error.message}${hint}${errors}\n`);
      return error.status === 0 ? EX_UNAVAILABLE : 1;
    }
    if (error instanceof TypeError) {
      io.stderr.write(`rampart config ${action}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** A `Command` (packages/cli/src/command.ts) for the lead to register. */
export const remoteConfigCommand = {
  summary:
    'read and change configuration on the config server (get, set, set-secret, history, diff, rollback)',
  usage,
  run: (args: readonly string[], io: CliIo): Promise<number> => runRemoteConfig(args, io),
};
