// `npm run bench` (every benchmark) or `node bench/dist/run.js chassis` (the ones named).
// BENCH_DURATION (seconds measured per run, default 10), BENCH_WARMUP (default 2),
// BENCH_CONNECTIONS (default 50), BENCH_ROUNDS (runs of each side, default 2).
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { Benchmark } from './lib/benchmark.js';
import { compare } from './lib/compare.js';
import { measure, type MeasureOptions } from './lib/measure.js';
import { markdownReport } from './lib/report.js';
import { startServerProcess } from './lib/server-process.js';

const benchmarksDir = new URL('./benchmarks/', import.meta.url);
const resultsDir = new URL('../results/', import.meta.url);

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`invalid ${name}: ${JSON.stringify(raw)} (expected seconds or a count ≥ 0)`);
  return value;
}

async function loadBenchmarks(names: readonly string[]): Promise<Benchmark[]> {
  const available = (await readdir(benchmarksDir))
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3));
  const unknown = names.filter((name) => !available.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')} (have: ${available.join(', ')})`);
  const selected = names.length > 0 ? names : available.sort();
  return Promise.all(
    selected.map(
      async (name) =>
        ((await import(new URL(`${name}.js`, benchmarksDir).href)) as { default: Benchmark }).default,
    ),
  );
}

async function runBenchmark(benchmark: Benchmark, options: MeasureOptions, rounds: number) {
  const baseline = await startServerProcess(benchmark.baseline.script, benchmark.baseline.env);
  try {
    const candidate = await startServerProcess(benchmark.candidate.script, benchmark.candidate.env);
    try {
      const load = (url: string) => () => measure(url, { ...options, ...benchmark.request });
      const comparison = await compare(load(baseline.url), load(candidate.url), rounds);
      return { comparison, candidateLogBytes: candidate.stdoutBytes() };
    } finally {
      await candidate.stop();
    }
  } finally {
    await baseline.stop();
  }
}

const options: MeasureOptions = {
  duration: numberFromEnv('BENCH_DURATION', 10),
  warmup: numberFromEnv('BENCH_WARMUP', 2),
  connections: numberFromEnv('BENCH_CONNECTIONS', 50),
};
const rounds = numberFromEnv('BENCH_ROUNDS', 2);

await mkdir(resultsDir, { recursive: true });
for (const benchmark of await loadBenchmarks(process.argv.slice(2))) {
  process.stderr.write(`bench: ${benchmark.name}: ${rounds} rounds of ${options.duration} s per side…\n`);
  const { comparison, candidateLogBytes } = await runBenchmark(benchmark, options, rounds);
  process.stdout.write(`${markdownReport(benchmark, comparison)}\n`);
  const result = {
    name: benchmark.name,
    description: benchmark.description,
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' },
    options: { ...options, ...benchmark.request, rounds },
    baseline: { label: benchmark.baseline.label, ...comparison.a },
    candidate: { label: benchmark.candidate.label, ...comparison.b, logBytes: candidateLogBytes },
    ratio: comparison.ratio,
    minRatio: benchmark.minRatio,
    met: comparison.ratio >= benchmark.minRatio,
    runs: comparison.runs,
  };
  await writeFile(new URL(`${benchmark.name}.json`, resultsDir), `${JSON.stringify(result, null, 2)}\n`);
}
