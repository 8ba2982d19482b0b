import { fileURLToPath } from 'node:url';

/** A service `rampart up` runs: its name, the port it listens on and its compiled main file. */
export interface ServiceDefinition {
  readonly name: string;
  readonly port: number;
  /** Absolute path of the JavaScript file `node` runs. */
  readonly entry: string;
}

// Relative to this file, which sits at the same depth in `src/` (tests) and `dist/` (the bin).
const repoPath = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/**
 * Every service `rampart up` starts, in start order. Ports are the defaults from DESIGN.md;
 * the entries are the services' build output, so `npm run build` must have run first.
 */
export function platformServices(): readonly ServiceDefinition[] {
  return Object.freeze([{ name: 'hello', port: 8090, entry: repoPath('examples/hello/dist/main.js') }]);
}
