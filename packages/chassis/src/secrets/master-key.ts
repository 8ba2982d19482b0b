/**
 * A service's master key (AES-256) for secrets at rest: from configuration (`masterKey`, a secret
 * key, `RAMPART_<SERVICE>_MASTER_KEY` or its `_FILE`); when absent — development only — generated
 * once into a file in the data directory (mode 0600). Production must configure it.
 *
 * @example
 * const key = await loadMasterKey({ configured: app.config.masterKey, dataDir: app.dataDir, file: 'master.key',
 *   onGenerated: (file) => app.log.warn({ file }, 'generated a development master key') });
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Accepts 64 hex digits or base64/base64url of 32 bytes; `name` says where the text came from. */
export function parseMasterKeyBytes(text: string, name = 'masterKey'): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64url');
  if (key.length !== 32)
    throw new TypeError(`invalid ${name}: expected 32 bytes as 64 hex digits or base64/base64url`);
  return key;
}

export interface LoadMasterKeyBytesOptions {
  configured: string | undefined;
  dataDir: string;
  /** The file in the data directory used when nothing is configured. */
  file: string;
  /** Told when the file was generated. */
  onGenerated?: (file: string) => void;
}

export async function loadMasterKeyBytes(options: LoadMasterKeyBytesOptions): Promise<Buffer> {
  if (options.configured !== undefined) return parseMasterKeyBytes(options.configured);
  const file = path.join(options.dataDir, options.file);
  try {
    return parseMasterKeyBytes(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(options.dataDir, { recursive: true });
  try {
    // `wx`: two instances starting together must not overwrite each other's key.
    await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    options.onGenerated?.(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseMasterKeyBytes(await readFile(file, 'utf8'), file);
}
