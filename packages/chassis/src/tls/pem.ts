/** PEM helpers and atomic file writes for the dev PKI. */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

export function toPem(der: ArrayBuffer, label: string): string {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----\n`;
}

export function fromPem(pem: string, label: string): Buffer {
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`).exec(pem);
  if (!match?.[1]) throw new Error(`no ${label} block in PEM`);
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

/** Writes via a temporary file and rename, so a reader never sees half a key. */
export async function writeAtomic(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(temporary, content, { mode });
  await fs.chmod(temporary, mode); // the umask may have narrowed or widened it
  await fs.rename(temporary, file);
}

export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
