import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from '../test-support/child-process.js';

// The example service's real entry point, as `rampart up` runs it.
const helloMain = fileURLToPath(new URL('../../../../examples/hello/dist/main.js', import.meta.url));

async function runToExit(env: Record<string, string>, args: string[] = []) {
  const child = runNode(helloMain, { RAMPART_SHUTDOWN_DRAIN_DELAY_MS: '0', ...env }, args);
  const { code } = await child.exited;
  return { code, stderr: child.stderr };
}

describe('start-up failures: one clear line and a sysexits code', () => {
  it('invalid configuration exits 78 before listening, one line per problem', async () => {
    const { code, stderr } = await runToExit({ PORT: 'http', RAMPART_HELLO_GREETING: '' });
    expect(code).toBe(78);
    expect(stderr).toEqual([
      expect.stringMatching(
        /^hello: invalid configuration: port = "http" \(from env PORT\): expected integer/,
      ),
      expect.stringMatching(
        /^hello: invalid configuration: greeting = "" \(from env RAMPART_HELLO_GREETING\): expected string length greater or equal to 1/,
      ),
    ]);
  });

  it('a missing secret file exits 78 naming the key, the variable and the path', async () => {
    const { code, stderr } = await runToExit({
      PORT: '0',
      RAMPART_HELLO_GREETING_FILE: '/run/secrets/missing',
    });
    expect(code).toBe(78);
    expect(stderr).toEqual([
      'hello: invalid configuration: greeting = /run/secrets/missing (from env RAMPART_HELLO_GREETING_FILE): a readable secret file (no such file)',
    ]);
  });

  it('an unknown flag exits 78', async () => {
    const { code, stderr } = await runToExit({ PORT: '0' }, ['--colour', 'blue']);
    expect(code).toBe(78);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain('from flag --colour');
  });

  it('a port in use exits 69 with one line naming the address and where the port came from', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runToExit({ PORT: String(port), HOST: '127.0.0.1' });
      expect(code).toBe(69);
      expect(stderr).toEqual([
        `hello: cannot listen on 127.0.0.1:${port} (port from env PORT): the address is already in use`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it('a config file with a typo exits 78', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rampart-hello-')), 'hello.yaml');
    writeFileSync(file, 'greting: Hi\n');
    const { code, stderr } = await runToExit({ PORT: '0' }, ['--config', file]);
    expect(code).toBe(78);
    expect(stderr[0]).toContain(
      `greting = "Hi" (from file ${file}): a known configuration key (is it misspelt?)`,
    );
  });
});
