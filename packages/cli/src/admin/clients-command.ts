/**
 * `rampart clients add|list`: OAuth clients of the auth server, on its database. A confidential
 * client's secret is generated, printed once, and stored only as a hash.
 */
import type { ClientType, GrantType, PublicClient } from '@rampart/auth';
import type { CliIo, Command } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { formatTable } from './format-table.js';
import { DATA_DIR_USAGE, dataDirOption, runAdmin } from './run-admin.js';

const TYPES: readonly ClientType[] = ['confidential', 'public'];
const GRANTS: readonly GrantType[] = ['authorization_code', 'client_credentials', 'refresh_token'];

const usage = `Usage: rampart clients add <client-id> --type confidential|public --grant GRANT…
                           [--redirect-uri URI]… [--scope SCOPE]… [--audience AUD]…
                           [--role ROLE]… [--name NAME] [--first-party]
       rampart clients list [--json]

add   registers a client; a confidential client's secret is printed once (only its hash is kept)
      --grant         ${GRANTS.join(', ')} (repeat for several)
      --redirect-uri  exact redirect URI (authorization_code needs one)
      --scope         a scope the client may ask for
      --audience      a resource (RFC 8707) the client may ask tokens for
      --role          a role of the client's own service account (client_credentials tokens)
      --first-party   the people signing in skip the consent screen
list  every client (never a secret)

Options:
${DATA_DIR_USAGE}
Examples:
  rampart clients add billing --type confidential --grant client_credentials --audience orders
  rampart clients add spa --type public --grant authorization_code --grant refresh_token \\
    --redirect-uri https://app.example.com/callback --scope openid --scope profile
`;

export const clientsCommand: Command = {
  summary: 'register and list OAuth clients (the auth server’s database)',
  usage,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === '-h' || action === '--help' || rest.includes('-h') || rest.includes('--help')) {
      io.stdout.write(usage);
      return 0;
    }
    if (action === 'add') return add(rest, io);
    if (action === 'list') return list(rest, io);
    throw new UsageError(action === undefined ? 'missing action' : `unknown action '${action}'`);
  },
};

async function add(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...dataDirOption,
    type: { type: 'string' },
    grant: { type: 'string', multiple: true },
    'redirect-uri': { type: 'string', multiple: true },
    scope: { type: 'string', multiple: true },
    audience: { type: 'string', multiple: true },
    role: { type: 'string', multiple: true },
    name: { type: 'string' },
    'first-party': { type: 'boolean' },
  });
  const [clientId, extra] = positionals;
  if (clientId === undefined) throw new UsageError('missing client id');
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  const type = values.type as ClientType | undefined;
  if (type === undefined || !TYPES.includes(type)) {
    throw new UsageError(`--type must be one of ${TYPES.join(', ')}`);
  }
  const grants = (values.grant ?? []) as GrantType[];
  if (grants.length === 0) throw new UsageError(`missing --grant (${GRANTS.join(', ')})`);
  const unknown = grants.find((g) => !GRANTS.includes(g));
  if (unknown !== undefined) throw new UsageError(`unknown grant '${unknown}' (known: ${GRANTS.join(', ')})`);

  return runAdmin('clients', io, values['data-dir'], async (admin) => {
    const { client, secret } = await admin.createClient({
      clientId,
      type,
      grantTypes: grants,
      redirectUris: values['redirect-uri'] ?? [],
      scopes: values.scope ?? [],
      audiences: values.audience ?? [],
      roles: values.role ?? [],
      firstParty: values['first-party'] ?? false,
      ...(values.name === undefined ? {} : { name: values.name }),
    });
    io.stdout.write(`client_id: ${client.clientId}\n`);
    if (secret !== undefined) {
      io.stdout.write(`client_secret: ${secret}\n`);
      io.stderr.write('rampart clients: store the secret now; it is not shown again\n');
    }
    return 0;
  });
}

async function list(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...dataDirOption, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  return runAdmin('clients', io, values['data-dir'], async (admin) => {
    const clients = await admin.listClients();
    io.stdout.write(values.json ? `${JSON.stringify(clients, null, 2)}\n` : table(clients));
    return 0;
  });
}

function table(clients: readonly PublicClient[]): string {
  if (clients.length === 0) return 'no clients\n';
  const list = (values: readonly string[]) => (values.length > 0 ? values.join(',') : '-');
  return formatTable(
    ['CLIENT_ID', 'TYPE', 'GRANTS', 'SCOPES', 'AUDIENCES', 'REDIRECT_URIS'],
    clients.map((c) => [
      c.clientId,
      c.type + (c.firstParty ? ' (first-party)' : ''),
      list(c.grantTypes),
      list(c.scopes),
      list(c.audiences),
      list(c.redirectUris),
    ]),
  );
}
