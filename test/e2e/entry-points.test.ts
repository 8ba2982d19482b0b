/**
 * Every entry point loads the chassis' nextTick pin before anything else is even loaded: static
 * imports are all fetched and parsed before any of them runs, and a full collection during that
 * loading, with no tick queued, costs every later request of the process (README: "A Node.js
 * pitfall the chassis works around"; seen as about 1 start in 40 of a secured chassis service
 * running a quarter or more slower for its whole life). So the pin must be an entry's only static import, and
 * the rest comes through `await import()`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const PIN = "import '@rampart/chassis/pin-tick-object';";

function entryPoints(): string[] {
  const mains = ['services', 'examples'].flatMap((dir) =>
    readdirSync(join(root, dir)).map((name) => join(dir, name, 'src', 'main.ts')),
  );
  return [...mains.filter((file) => existsSync(join(root, file))), 'packages/cli/src/bin.ts'];
}

describe('entry points', () => {
  const files = entryPoints();

  it('are the services, the examples and the CLI', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'services/auth/src/main.ts',
        'services/gateway/src/main.ts',
        'services/config/src/main.ts',
        'examples/hello/src/main.ts',
        'examples/orders/src/main.ts',
        'examples/accounts/src/main.ts',
        'packages/cli/src/bin.ts',
      ]),
    );
  });

  it.each(files)('%s: the nextTick pin is the only static import', (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    const staticImports = source
      .split('\n')
      .filter((line) => /^import\s/.test(line) && !/^import\s+type\s/.test(line));
    expect(staticImports).toEqual([PIN]);
  });
});
