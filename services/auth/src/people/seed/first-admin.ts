/**
 * Outside demo mode, the first start creates an `admin` user (role admin) so the admin API and
 * CLI can be used at all. Its password comes from `RAMPART_ADMIN_PASSWORD`, or is generated,
 * printed once and stored with mode 0600 in `<dataDir>/admin-password` (DESIGN.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../context.js';
import { randomToken } from '../../lib/random.js';
import { addUser, UserError } from '../../users/index.js';
import type { PeopleTables } from '../../users/tables.js';
import { ADMIN_ROLE } from '../admin/admin-guard.js';

export interface FirstAdminOptions {
  env?: Readonly<Record<string, string | undefined>>;
  dataDir: string;
  /** Where the generated password is shown, once (default: stderr, not the structured log). */
  print?: (line: string) => void;
}

export async function ensureFirstAdmin(
  context: AuthContext,
  options: FirstAdminOptions,
): Promise<{ created: boolean; passwordFile?: string }> {
  const db = context.db as unknown as Kysely<PeopleTables>;
  const existing = await db
    .selectFrom('user_roles')
    .select('user_id')
    .where('role', '=', ADMIN_ROLE)
    .executeTakeFirst();
  if (existing) return { created: false };
  const configured = (options.env ?? process.env).RAMPART_ADMIN_PASSWORD;
  const password = configured || randomToken(18);
  try {
    await addUser(context.db, { username: 'admin', password, roles: [ADMIN_ROLE], name: 'Administrator' });
  } catch (error) {
    // Another instance created it first, or an `admin` user exists without the role: leave it.
    if (error instanceof UserError && error.code === 'username_taken') return { created: false };
    throw error;
  }
  if (configured) return { created: true };
  const file = path.join(options.dataDir, 'admin-password');
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  print(
    `rampart auth: created the first admin user "admin" with password ${password} (also in ${file}, mode 0600)`,
  );
  return { created: true, passwordFile: file };
}
