/**
 * The last-known-good configuration in the service's data directory, so a service restarts while
 * the config server is down. Secret values are sealed with AES-256-GCM under a key kept next to
 * the cache (mode 0600) or the key the caller passes; the rest is readable JSON.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RemoteConfig } from './remote-config-types.js';

interface Sealed {
  iv: string;
  ct: string;
}

interface CacheFile {
  format: 1;
  app: string;
  profile: string;
  version: number;
  updatedAt?: string | undefined;
  fetchedAt: string;
  values: Record<string, unknown>;
  secrets: Record<string, Sealed>;
}

export interface ConfigCacheOptions {
  /** The service's data directory; the cache lives in `<dir>/config-cache/`. */
  dir: string;
  /** 32-byte key for the secrets; default: generated into `<dir>/config-cache/cache.key` (0600). */
  key?: Buffer | undefined;
}

export function cacheFile(dir: string, app: string, profile: string): string {
  return path.join(dir, 'config-cache', `${app}-${profile}.json`);
}

async function cacheKey(options: ConfigCacheOptions): Promise<Buffer> {
  if (options.key) {
    if (options.key.length !== 32) throw new TypeError('invalid config cache key: expected 32 bytes');
    return options.key;
  }
  const file = path.join(options.dir, 'config-cache', 'cache.key');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  if (key.length !== 32) throw new Error(`${file}: expected a 32-byte key`);
  return key;
}

function getPath(values: Record<string, unknown>, key: string): unknown {
  let node: unknown = values;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

function setPath(values: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = values;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function deletePath(values: Record<string, unknown>, key: string): void {
  const parts = key.split('.');
  let node: unknown = values;
  for (const part of parts.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[part];
  if (node && typeof node === 'object')
    delete (node as Record<string, unknown>)[parts[parts.length - 1] as string];
}

export async function writeConfigCache(options: ConfigCacheOptions, config: RemoteConfig): Promise<void> {
  const key = await cacheKey(options);
  const values = structuredClone(config.values);
  const secrets: Record<string, Sealed> = {};
  for (const name of config.secrets) {
    const plaintext = JSON.stringify(getPath(values, name) ?? null);
    deletePath(values, name);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${config.app}/${config.profile}:${name}`));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    secrets[name] = { iv: iv.toString('base64url'), ct: ct.toString('base64url') };
  }
  const file = cacheFile(options.dir, config.app, config.profile);
  const body: CacheFile = {
    format: 1,
    app: config.app,
    profile: config.profile,
    version: config.version,
    updatedAt: config.updatedAt,
    fetchedAt: new Date().toISOString(),
    values,
    secrets,
  };
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Write-then-rename: a crash mid-write never leaves a half-written last-known-good.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(body), { mode: 0o600 });
  await rename(temporary, file);
}

/** The cached configuration, or undefined when there is none. Throws when it exists but cannot be read. */
export async function readConfigCache(
  options: ConfigCacheOptions,
  app: string,
  profile: string,
): Promise<(RemoteConfig & { fetchedAt: string }) | undefined> {
  const file = cacheFile(options.dir, app, profile);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const body = JSON.parse(text) as CacheFile;
  const key = await cacheKey(options);
  const values = body.values;
  for (const [name, sealed] of Object.entries(body.secrets)) {
    const data = Buffer.from(sealed.ct, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${app}/${profile}:${name}`));
    decipher.setAuthTag(data.subarray(data.length - 16));
    const plaintext = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
    setPath(values, name, JSON.parse(plaintext.toString('utf8')) as unknown);
  }
  return {
    app,
    profile,
    version: body.version,
    updatedAt: body.updatedAt,
    values,
    secrets: Object.keys(body.secrets),
    fetchedAt: body.fetchedAt,
  };
}
