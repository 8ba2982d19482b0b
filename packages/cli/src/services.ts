import { fileURLToPath } from 'node:url';

/** How `rampart up` reaches a service's `/health/ready`: plain HTTP, or HTTPS with a client certificate. */
export interface ProbeTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** A service `rampart up` runs: its name, the port it listens on and its compiled main file. */
export interface ServiceDefinition {
  readonly name: string;
  readonly port: number;
  /** Absolute path of the JavaScript file `node` runs. */
  readonly entry: string;
  /** Environment of this service only, over the common one. */
  readonly env?: NodeJS.ProcessEnv;
  /** Set when the service serves mutual TLS: the probe presents rampart's own certificate. */
  readonly probeTls?: ProbeTls;
  /**
   * What "ready" means (default `/health/ready`). The gateway is ready when the issuer's
   * metadata flows through it, i.e. when its upstreams answer too.
   */
  readonly readyPath?: string;
  /** The URL printed for people (`https://…` for internal services under mutual TLS). */
  readonly url?: string;
}

// Relative to this file, which sits at the same depth in `src/` (tests) and `dist/` (the bin).
const repoPath = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/** The platform's services in start order, with their ports from DESIGN.md. */
export const PLATFORM = [
  { name: 'auth', port: 8081, entry: repoPath('services/auth/dist/main.js'), internal: true },
  { name: 'config', port: 8082, entry: repoPath('services/config/dist/main.js'), internal: true },
  { name: 'accounts', port: 8092, entry: repoPath('examples/accounts/dist/main.js'), internal: true },
  { name: 'orders', port: 8091, entry: repoPath('examples/orders/dist/main.js'), internal: true },
  { name: 'gateway', port: 8080, entry: repoPath('services/gateway/dist/main.js'), internal: false },
] as const;

export type PlatformServiceName = (typeof PLATFORM)[number]['name'];
