/**
 * The master key that encrypts private signing keys at rest. From configuration
 * (`RAMPART_AUTH_MASTER_KEY`, `RAMPART_MASTER_KEY` or their `_FILE`); when absent — development
 * only — generated once into `<dataDir>/master.key` (mode 0600).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface MasterKey {
  /** 32 bytes (AES-256). */
  key: Buffer;
  /** A short fingerprint stored next to each ciphertext, so a wrong key is named, not guessed. */
  id: string;
}

/** Accepts 64 hex digits or base64/base64url of 32 bytes. */
export function parseMasterKey(text: string): MasterKey {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64url');
  if (key.length !== 32) {
    throw new TypeError('invalid masterKey: expected 32 bytes as 64 hex digits or base64/base64url');
  }
  return { key, id: createHash('sha256').update(key).digest('base64url').slice(0, 8) };
}

export interface LoadMasterKeyOptions {
  configured: string | undefined;
  dataDir: string;
  /** Told when a key file was generated. */
  onGenerated?: (file: string) => void;
}

export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<MasterKey> {
  if (options.configured !== undefined) return parseMasterKey(options.configured);
  const file = path.join(options.dataDir, 'master.key');
  try {
    return parseMasterKey(await readFile(file, 'utf8'));
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
  return parseMasterKey(await readFile(file, 'utf8'));
}
