/** Starts a gateway on port 0 with a route table written to a temporary file. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { SharedState } from '@rampart/store';
import { captureLogs, type LogCapture } from '../../../../packages/chassis/src/test-support/log-capture.js';
import { buildGateway, type GatewayService } from '../app.js';

export interface Harness {
  app: GatewayService;
  url: string;
  port: number;
  logs: LogCapture;
  routesFile: string;
  writeRoutes(routes: unknown): Promise<void>;
  close(): Promise<void>;
}

export async function startGateway(
  routes: unknown[],
  env: Record<string, string> = {},
  options: { dir?: string; sharedState?: SharedState } = {},
): Promise<Harness> {
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'rampart-gw-')));
  const routesFile = path.join(dir, 'routes.yaml');
  await writeFile(routesFile, stringify({ routes }));
  const logs = captureLogs();
  const app = await buildGateway({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      RAMPART_GATEWAY_ROUTES_FILE: routesFile,
      RAMPART_GATEWAY_DATA_DIR: dir,
      RAMPART_GATEWAY_SHUTDOWN_DRAIN_DELAY_MS: '0',
      RAMPART_GATEWAY_SHUTDOWN_GRACE_PERIOD_MS: '1000',
      ...env,
    },
    argv: [],
    logDestination: logs,
    ...(options.sharedState ? { sharedState: options.sharedState } : {}),
  });
  const { port, url } = await app.start({ handleSignals: false });
  return {
    app,
    url,
    port,
    logs,
    routesFile,
    writeRoutes: (next) =>
      writeFile(routesFile, typeof next === 'string' ? next : stringify({ routes: next })),
    async close() {
      await app.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
