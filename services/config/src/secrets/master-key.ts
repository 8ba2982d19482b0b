/**
 * The config server's master key: from `masterKey` (`RAMPART_CONFIG_MASTER_KEY` or `…_FILE`);
 * when absent — development only — generated once into `<dataDir>/config-master.key` (0600).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Accepts 64 hex digits or base64/base64url of 32 bytes. */
export function parseMasterKey(text: string, name = 'masterKey'): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64url');
  if (key.length !== 32)
    throw new TypeError(`invalid ${name}: expected 32 bytes as 64 hex digits or base64/base64url`);
  return key;
}

export async function loadMasterKey(options: {
  configured: string | undefined;
  dataDir: string;
  onGenerated?: (file: string) => void;
}): Promise<Buffer> {
  if (options.configured !== undefined) return parseMasterKey(options.configured);
  const file = path.join(options.dataDir, 'config-master.key');
  try {
    return parseMasterKey(await readFile(file, 'utf8'), file);
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
  return parseMasterKey(await readFile(file, 'utf8'), file);
}
