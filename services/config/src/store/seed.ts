/**
 * Seeds an empty store from YAML files, so teams can keep configuration in git:
 * `application.yaml` (every application), `<app>.yaml`, `<app>-<profile>.yaml`. A file name is
 * split at its first hyphen (`orders-production` → app `orders`, profile `production`).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ConfigCore } from '../core/config-core.js';
import { isPlainObject } from '../model/document.js';
import { BASE_PROFILE, isValidName, SHARED_APP, type SourceId } from '../names.js';
import { VersionConflict } from './config-store.js';

export function sourceOfFile(file: string): SourceId | undefined {
  const match = /^(.+)\.ya?ml$/.exec(file);
  if (!match?.[1]) return undefined;
  const name = match[1];
  if (name === SHARED_APP) return { app: SHARED_APP, profile: BASE_PROFILE };
  const dash = name.indexOf('-');
  const source =
    dash < 0
      ? { app: name, profile: BASE_PROFILE }
      : { app: name.slice(0, dash), profile: name.slice(dash + 1) };
  if (!isValidName(source.app) || (source.profile !== BASE_PROFILE && !isValidName(source.profile)))
    return undefined;
  return source;
}

/** Returns the files seeded; does nothing when the store already has a version. */
export async function seedFromDirectory(core: ConfigCore, dir: string): Promise<string[]> {
  if ((await core.store.latest()) > 0) return [];
  const files = (await readdir(dir))
    .filter((f) => sourceOfFile(f))
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const seeded: string[] = [];
  for (const file of files) {
    const source = sourceOfFile(file) as SourceId;
    const document = parseYaml(await readFile(path.join(dir, file), 'utf8')) as unknown;
    if (document === null || document === undefined) continue;
    if (!isPlainObject(document)) throw new TypeError(`seed file ${file}: expected a YAML mapping`);
    try {
      await core.seed(source, document, 'seed', `seeded from ${file}`);
      seeded.push(file);
    } catch (error) {
      // Another instance seeded this source at the same moment.
      if (!(error instanceof VersionConflict)) throw error;
    }
  }
  return seeded;
}

// application first, then base documents, then profiles: lower layers exist before higher ones.
function order(file: string): number {
  const source = sourceOfFile(file);
  if (!source || source.app === SHARED_APP) return 0;
  return source.profile === BASE_PROFILE ? 1 : 2;
}
