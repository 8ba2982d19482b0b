/** Reads the PEM files named in configuration (`tls.ca`, `tls.cert`, `tls.key`), failing with the key's name. */
import { promises as fs } from 'node:fs';
import type { TlsMaterial } from './dev-pki.js';

export async function loadTlsFiles(paths: { ca: string; cert: string; key: string }): Promise<TlsMaterial> {
  const read = async (name: keyof typeof paths) => {
    try {
      return await fs.readFile(paths[name], 'utf8');
    } catch (error) {
      throw new Error(`tls.${name}: cannot read ${paths[name]}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  return { ca: await read('ca'), cert: await read('cert'), key: await read('key') };
}
