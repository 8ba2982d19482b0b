import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type Service } from '../service/create-service.js';
import { captureLogs } from '../test-support/log-capture.js';
import { runNode, type Child } from '../test-support/child-process.js';

const script = fileURLToPath(new URL('./audited-service.mjs', import.meta.url));
const children: Child[] = [];
const services: Service[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  await Promise.all(services.splice(0).map((s) => s.close()));
});

function cancel(port: number, id: number, agent: Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: `/orders/${id}/cancel`, agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });
}

describe('the audit outbox across a crash (SQLite)', () => {
  it('a process killed mid-burst loses no acknowledged event', async () => {
    const url = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'rampart-audit-crash-')), 'orders.db')}`;
    const child = runNode(script, { PORT: '0', DATABASE_URL: url, LOG_LEVEL: 'warn' });
    children.push(child);
    const { listening: port } = JSON.parse(await child.waitForLine((l) => l.includes('"listening"'))) as {
      listening: number;
    };
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const acknowledged: number[] = [];
    let next = 0;
    // 20 clients send requests back to back; the process is killed after the 300th answer.
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (;;) {
          const id = next++;
          const status = await cancel(port, id, agent);
          if (status !== 200) return;
          acknowledged.push(id);
          if (acknowledged.length === 300) child.process.kill('SIGKILL');
        }
      }),
    );
    agent.destroy();
    expect((await child.exited).signal).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const reopened = await createService({
      name: 'orders',
      env: { PORT: '0', DATABASE_URL: url },
      argv: [],
      logDestination: captureLogs(),
      database: { migrations: {} },
    });
    services.push(reopened);
    const recorded = new Set((await reopened.audit.pending(100_000)).map((e) => e.resource));
    const missing = acknowledged.filter((id) => !recorded.has(`order:${id}`));
    expect(missing).toEqual([]);
  });
});

describe('audit event ids', () => {
  it('are UUIDv7 (RFC 9562 §5.7): time-ordered, so the outbox index grows at one end', async () => {
    const { eventId } = await import('./audit-log.js');
    const ids = [eventId(1_700_000_000_000), eventId(1_700_000_000_001), eventId(1_800_000_000_000)];
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]?.replace(/-/g, '').slice(0, 12)).toBe((1_700_000_000_000).toString(16).padStart(12, '0'));
    expect(new Set(Array.from({ length: 1000 }, () => eventId(1)).concat()).size).toBe(1000);
  });
});
