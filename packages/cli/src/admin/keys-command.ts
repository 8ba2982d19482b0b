/**
 * `rampart keys rotate`: publishes a new signing key. Running auth servers put it in the JWKS at
 * once and sign with it after `keyPublicationSeconds` (longer than verifiers cache the JWKS), so
 * a rotation never fails a token check; the old key verifies until what it signed has expired.
 */
import type { Command } from '../command.js';
import { parseOptions } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { DATA_DIR_USAGE, dataDirOption, runAdmin } from './run-admin.js';

const usage = `Usage: rampart keys rotate [--data-dir DIR]

rotate  publishes a new signing key; running auth servers sign with it once it has been
        in the JWKS for keyPublicationSeconds (default 600). Needs the auth server's master key.

Options:
${DATA_DIR_USAGE}`;

export const keysCommand: Command = {
  summary: 'rotate the auth server’s signing keys',
  usage,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === '-h' || action === '--help' || rest.includes('-h') || rest.includes('--help')) {
      io.stdout.write(usage);
      return 0;
    }
    if (action !== 'rotate') {
      throw new UsageError(action === undefined ? 'missing action' : `unknown action '${action}'`);
    }
    const { values, positionals } = parseOptions(rest, dataDirOption);
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return runAdmin('keys', io, values['data-dir'], async (admin) => {
      const { kid, created } = await admin.rotateKeys();
      io.stdout.write(
        created
          ? `published signing key ${kid}; it signs once it has been published for keyPublicationSeconds\n`
          : `signing key ${kid} is already waiting to sign; nothing to do\n`,
      );
      return 0;
    });
  },
};
