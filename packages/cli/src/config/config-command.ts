/**
 * `rampart config print <service> [service flags…]`: the configuration the service would run
 * with here — every key's effective value and where it came from (default, file, env, flag),
 * secrets masked. Arguments after the service name are read as that service's own flags.
 */
import { composeServiceSchema, ConfigError, loadConfig, type ConfigEntry } from '@rampart/chassis';
import { remoteConfigCommand, REMOTE_CONFIG_ACTIONS } from '@rampart/config-server';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';
import { serviceSchemas } from './service-schemas.js';

const EX_CONFIG = 78;

const usage = `Usage: rampart config print <service> [--json] [-- <service flags…>]
       rampart config get|set|set-secret|history|diff|rollback … (the config server; see --help there)

print shows the effective configuration of <service> with each value's source
(default < config server < config file < environment < flags); secrets are masked.
Services: ${Object.keys(serviceSchemas).join(', ')}

Examples:
  rampart config print hello
  RAMPART_HELLO_PORT=9000 rampart config print hello -- --log-level debug
`;

export const configCommand: Command = {
  summary: 'show a service’s effective configuration and where each value comes from',
  usage,
  async run(args, io) {
    const [action, service, ...rest] = args;
    if (action === '-h' || action === '--help') {
      io.stdout.write(usage);
      return 0;
    }
    // get | set | set-secret | history | diff | rollback talk to the config server.
    if ((REMOTE_CONFIG_ACTIONS as readonly string[]).includes(action ?? ''))
      return remoteConfigCommand.run(args, io);
    if (action !== 'print') {
      throw new UsageError(action === undefined ? 'missing action' : `unknown action '${action}'`);
    }
    if (service === undefined) throw new UsageError('missing service name');
    const load = Object.hasOwn(serviceSchemas, service) ? serviceSchemas[service] : undefined;
    if (load === undefined)
      throw new UsageError(`unknown service '${service}' (known: ${Object.keys(serviceSchemas).join(', ')})`);
    const json = rest[0] === '--json';
    const serviceArgs = rest.slice(json ? 1 : 0);
    const flags = serviceArgs[0] === '--' ? serviceArgs.slice(1) : serviceArgs;

    const { schema, defaultPort, features } = await load();
    try {
      const effective = composeServiceSchema(schema, features);
      const { entries } = loadConfig({ service, schema: effective, defaultPort, argv: flags, env: io.env });
      io.stdout.write(json ? `${JSON.stringify(entries, null, 2)}\n` : table(service, entries));
      return 0;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.stderr.write(`${error.message}\n`);
      return EX_CONFIG;
    }
  },
};

function table(service: string, entries: readonly ConfigEntry[]): string {
  const rows = entries.map((e) => [e.key + (e.dynamic ? ' (dynamic)' : ''), e.value, e.source]);
  const header = ['KEY', 'VALUE', 'SOURCE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c)).join('  ');
  return [
    `${service}: effective configuration (default < file < env < flag)`,
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}
