/**
 * The configuration schema of every service `rampart config` knows, loaded on demand so the
 * CLI starts fast and a command about one service does not load the others.
 */
import type { TObject } from '@rampart/chassis';

export interface ServiceSchema {
  schema: TObject;
  defaultPort: number;
  /** Whether the service has a database (adds the `databaseUrl` key). */
  database?: boolean;
}

export const serviceSchemas: Readonly<Record<string, () => Promise<ServiceSchema>>> = {
  hello: async () => {
    const { helloConfigSchema, HELLO_DEFAULT_PORT } = await import('@rampart/example-hello');
    return { schema: helloConfigSchema, defaultPort: HELLO_DEFAULT_PORT };
  },
};
