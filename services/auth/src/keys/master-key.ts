/**
 * The master key that encrypts private signing keys at rest. From configuration
 * (`RAMPART_AUTH_MASTER_KEY`, `RAMPART_MASTER_KEY` or their `_FILE`); when absent — development
 * only — generated once into `<dataDir>/master.key` (mode 0600).
 */
import { createHash } from 'node:crypto';
import { loadMasterKeyBytes, parseMasterKeyBytes } from '@rampart/chassis';

export interface MasterKey {
  /** 32 bytes (AES-256). */
  key: Buffer;
  /** A short fingerprint stored next to each ciphertext, so a wrong key is named, not guessed. */
  id: string;
}

export function parseMasterKey(text: string): MasterKey {
  return withId(parseMasterKeyBytes(text));
}

export interface LoadMasterKeyOptions {
  configured: string | undefined;
  dataDir: string;
  /** Told when a key file was generated. */
  onGenerated?: (file: string) => void;
}

export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<MasterKey> {
  return withId(await loadMasterKeyBytes({ ...options, file: 'master.key' }));
}

function withId(key: Buffer): MasterKey {
  return { key, id: createHash('sha256').update(key).digest('base64url').slice(0, 8) };
}
