/**
 * The master key for `rampart keys rotate`: from configuration, else `<dataDir>/master.key`. Unlike
 * the service, the tool never generates one — a key the running servers do not have would seal a
 * signing key nobody can open — and it checks the key opens the keys already stored.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { TokenTables } from '../db/tables.js';
import { readKeys } from '../keys/key-store.js';
import { parseMasterKey, type MasterKey } from '../keys/master-key.js';
import { AuthAdminError } from './admin-errors.js';

export async function loadAdminMasterKey(
  db: Kysely<TokenTables>,
  configured: string | undefined,
  dataDir: string,
): Promise<MasterKey> {
  const master = parse(configured ?? (await readKeyFile(path.join(dataDir, 'master.key'))));
  const stored = (await readKeys(db, master))[0];
  try {
    stored?.load();
  } catch (error) {
    throw new AuthAdminError(
      'AUTH_ADMIN_ERR_CONFIG',
      `auth: the master key does not open the stored signing keys (kid ${stored?.kid}): use the auth server's RAMPART_AUTH_MASTER_KEY`,
      { cause: error },
    );
  }
  return master;
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new AuthAdminError(
      'AUTH_ADMIN_ERR_CONFIG',
      `auth: no master key: set RAMPART_AUTH_MASTER_KEY (or RAMPART_MASTER_KEY), or start the auth server once to create ${file}`,
    );
  }
}

function parse(text: string): MasterKey {
  try {
    return parseMasterKey(text);
  } catch (error) {
    throw new AuthAdminError('AUTH_ADMIN_ERR_CONFIG', `auth: ${(error as Error).message}`, { cause: error });
  }
}
