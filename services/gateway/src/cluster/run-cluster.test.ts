import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoUpstream, type EchoUpstream } from '../test-support/echo-upstream.js';

const script = fileURLToPath(new URL('../../dist/cluster/run-cluster.js', import.meta.url));
let up: EchoUpstream;
beforeAll(async () => {
  up = await startEchoUpstream();
});
afterAll(() => up?.close());

// Uses the compiled output: build first with `npx tsc -b services/gateway`.
describe('runGatewayCluster', () => {
  it('serves one port from two worker processes and stops on SIGTERM', async () => {
    const { existsSync } = await import('node:fs');
    if (!existsSync(script)) return; // not built
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rampart-gwc-'));
    const routes = path.join(dir, 'routes.yaml');
    await writeFile(routes, `routes:\n  - { prefix: /svc, upstreams: ['${up.url}'], auth: none }\n`);
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { runGatewayCluster } from ${JSON.stringify(script)}; await runGatewayCluster({ workers: 2 });`,
      ],
      {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          RAMPART_GATEWAY_ROUTES_FILE: routes,
          RAMPART_GATEWAY_DATA_DIR: dir,
          LOG_LEVEL: 'warn',
          RAMPART_GATEWAY_SHUTDOWN_DRAIN_DELAY_MS: '0',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await fetch(`http://127.0.0.1:${port}/svc/x`).then(
          (r) => r.status,
          () => 0,
        );
      }
      expect(status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 30_000);
});
