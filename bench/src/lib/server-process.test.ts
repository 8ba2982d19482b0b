import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './server-process.js';

const fixture = fileURLToPath(new URL('./test-fixtures/noisy-server.mjs', import.meta.url));

describe('startServerProcess', () => {
  it('finds the port among log lines, keeps its stdout in a file it counts, and stops the server', async () => {
    const server = await startServerProcess(fixture);
    expect(server.info).toMatchObject({ greeting: 'hi' });
    const response = await fetch(`${server.url}/hello`);
    expect(await response.json()).toEqual({ hello: 'world' });
    expect(server.stdoutBytes()).toBeGreaterThan(100_000);
    await server.stop();
    await expect(fetch(`${server.url}/hello`)).rejects.toThrow();
  });

  it('fails when the script exits before listening', async () => {
    const crash = fileURLToPath(new URL('./test-fixtures/missing.mjs', import.meta.url));
    await expect(startServerProcess(crash)).rejects.toThrow(/exited \(1\) before listening/);
  });
});
