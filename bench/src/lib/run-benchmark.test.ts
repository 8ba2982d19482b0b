import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Benchmark } from './benchmark.js';
import { markdownReport } from './report.js';
import { runBenchmark } from './run-benchmark.js';

const fixture = fileURLToPath(new URL('./test-fixtures/noisy-server.mjs', import.meta.url));

describe('runBenchmark', () => {
  it('starts the servers in order, loads each candidate, reports, stops them and tears down', async () => {
    const seen: string[] = [];
    let tornDown = false;
    const benchmark: Benchmark = {
      name: 'fixture',
      description: 'two fixture servers',
      servers: {
        first: { script: fixture },
        // A later server's environment sees the earlier ones.
        second: { script: fixture, env: (started) => ({ FIRST_URL: started.first!.url }) },
      },
      candidates: [
        { label: 'one', server: 'first', request: { path: '/a' } },
        {
          label: 'two',
          server: 'second',
          request: (started) => (
            seen.push(String(started.second!.info.greeting)),
            { method: 'POST', path: '/b', headers: { 'content-type': 'text/plain' }, body: 'hi' }
          ),
        },
      ],
      ratios: [{ candidate: 'two', baseline: 'one', minRatio: 0 }],
      teardown: async () => {
        tornDown = true;
      },
    };
    const result = await runBenchmark(benchmark, {
      rounds: 2,
      duration: 0.3,
      warmup: 0,
      connections: 2,
      log: () => undefined,
    });
    expect(result.runs.map((r) => `${r.label}${r.round}`)).toEqual(['one0', 'two0', 'two1', 'one1']);
    expect(seen).toEqual(['hi', 'hi']); // built before each run
    expect(result.candidates.map((c) => c.label)).toEqual(['one', 'two']);
    expect(result.candidates.every((c) => c.rps > 0 && c.errors + c.non2xx === 0)).toBe(true);
    expect(result.reference).toBe('one');
    expect(result.ratios[0]).toMatchObject({ candidate: 'two', baseline: 'one', met: true });
    expect(tornDown).toBe(true);

    const report = markdownReport(benchmark, result);
    expect(report).toContain('| one |');
    expect(report).toContain('two / one');
    expect(report).toContain('target ≥ 0.00×: met');
  });

  it('stops what it started when a server fails to start', async () => {
    let tornDown = false;
    const missing = fileURLToPath(new URL('./test-fixtures/missing.mjs', import.meta.url));
    await expect(
      runBenchmark(
        {
          name: 'broken',
          description: '',
          servers: { ok: { script: fixture }, broken: { script: missing } },
          candidates: [],
          teardown: async () => {
            tornDown = true;
          },
        },
        { rounds: 1, log: () => undefined },
      ),
    ).rejects.toThrow(/before listening/);
    expect(tornDown).toBe(true);
  });
});
