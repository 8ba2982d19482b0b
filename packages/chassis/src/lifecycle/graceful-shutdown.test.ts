import { request } from 'node:http';
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runNode, type Child } from '../test-support/child-process.js';

const script = fileURLToPath(new URL('../test-support/slow-service.mjs', import.meta.url));
const children: Child[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
});

function get(
  port: number,
  path: string,
  agent?: Agent,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function start(env: Record<string, string>): Promise<{ child: Child; port: number }> {
  const child = runNode(script, env);
  children.push(child);
  const line = await child.waitForLine((l) => l.includes('"listening"'));
  return { child, port: (JSON.parse(line) as { listening: number }).listening };
}

describe('graceful shutdown on SIGTERM', () => {
  it('fails readiness at once, keeps serving through the drain delay, completes every in-flight request, exits 0', async () => {
    const { child, port } = await start({ RAMPART_SHUTDOWN_DRAIN_DELAY_MS: '400' });
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    expect((await get(port, '/health/ready')).status).toBe(200);

    const inFlight = Array.from({ length: 8 }, () => get(port, '/slow?ms=900', agent));
    await new Promise((r) => setTimeout(r, 150));
    child.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));

    // During the drain delay: not ready, but still serving new requests.
    const ready = await get(port, '/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'fail', output: 'shutting down' });
    const during = await get(port, '/slow?ms=10');
    expect(during.status).toBe(200);
    expect(during.headers.connection).toBe('close');

    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const exit = await child.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(child.stdout.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    await expect(get(port, '/health/live')).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
  });

  it('closes connections still busy after the grace period and exits 1', async () => {
    const { child, port } = await start({
      RAMPART_SHUTDOWN_DRAIN_DELAY_MS: '0',
      RAMPART_SHUTDOWN_GRACE_PERIOD_MS: '300',
    });
    const stuck = get(port, '/slow?ms=10000').catch((error: Error) => error);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    child.process.kill('SIGTERM');
    const exit = await child.exited;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(exit.code).toBe(1);
    expect(await stuck).toBeInstanceOf(Error);
    expect(child.stdout.some((l) => l.includes('grace period over'))).toBe(true);
  });
});
