import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of a compiled server script in `src/servers/`. */
export const serverScript = (file: string): string =>
  fileURLToPath(new URL(`../servers/${file}`, import.meta.url));

/** A fresh temporary directory (a data directory, a config file's home). */
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `rampart-bench-${prefix}-`));
