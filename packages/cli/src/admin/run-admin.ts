/**
 * Runs one auth admin operation for a `rampart users|clients|keys` command: opens the auth
 * server's database as the service would (its env, config file, and `--data-dir`), runs, closes,
 * and turns a refusal into one line on stderr and a sysexits(3) status.
 */
import type { AuthAdmin } from '@rampart/auth';
import type { CliIo } from '../command.js';

/** sysexits(3): bad input data (a taken username, an unknown user, an invalid role). */
export const EX_DATAERR = 65;
/** sysexits(3): a service (the database) is unavailable. */
export const EX_UNAVAILABLE = 69;
/** sysexits(3): configuration error. */
export const EX_CONFIG = 78;

/** The option every auth admin command takes. */
export const dataDirOption = { 'data-dir': { type: 'string' } } as const;

export const DATA_DIR_USAGE = `  --data-dir DIR  the auth server's data directory (as \`rampart up --data-dir\`; default .rampart)
Database and keys resolve as the auth server's do: RAMPART_AUTH_DATABASE_URL or DATABASE_URL
(default sqlite:<data dir>/auth.db), RAMPART_AUTH_MASTER_KEY (default <data dir>/master.key).
`;

const EXIT_CODES = {
  AUTH_ADMIN_ERR_CONFIG: EX_CONFIG,
  AUTH_ADMIN_ERR_UNAVAILABLE: EX_UNAVAILABLE,
  AUTH_ADMIN_ERR_INPUT: EX_DATAERR,
} as const;

export async function runAdmin(
  command: string,
  io: CliIo,
  dataDir: string | undefined,
  operation: (admin: AuthAdmin) => Promise<number>,
): Promise<number> {
  // Loaded on use: `rampart --help` should not pay for the auth server's modules.
  const { openAuthAdmin, AuthAdminError } = await import('@rampart/auth');
  try {
    const admin = await openAuthAdmin({
      env: io.env,
      // A flag beats RAMPART_AUTH_DATA_DIR in the environment, as it would for the service.
      argv: dataDir === undefined ? [] : ['--data-dir', dataDir],
      cwd: io.cwd,
    });
    try {
      return await operation(admin);
    } finally {
      await admin.close();
    }
  } catch (error) {
    if (!(error instanceof AuthAdminError)) throw error;
    io.stderr.write(`rampart ${command}: ${error.message}\n`);
    return EXIT_CODES[error.code];
  }
}
