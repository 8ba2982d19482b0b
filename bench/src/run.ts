// `npm run bench` (every benchmark) or `node bench/dist/run.js gateway` (the ones named), with
// BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS and BENCH_ROUNDS (see lib/options.ts). Prints a
// Markdown table per benchmark and writes bench/results/<name>.json.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import type { Benchmark } from './lib/benchmark.js';
import { markdownReport } from './lib/report.js';
import { benchOptions } from './lib/options.js';
import { runBenchmark } from './lib/run-benchmark.js';

const benchmarksDir = new URL('./benchmarks/', import.meta.url);
const resultsDir = new URL('../results/', import.meta.url);

async function loadBenchmarks(names: readonly string[]): Promise<Benchmark[]> {
  const available = (await readdir(benchmarksDir))
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3));
  const unknown = names.filter((name) => !available.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')} (have: ${available.join(', ')})`);
  const selected = names.length > 0 ? names : available.sort();
  const benchmarks: Benchmark[] = [];
  // One at a time: a benchmark module may create temporary directories when it loads.
  for (const name of selected) {
    const module = (await import(new URL(`${name}.js`, benchmarksDir).href)) as { default: Benchmark };
    benchmarks.push(module.default);
  }
  return benchmarks;
}

const options = benchOptions();

await mkdir(resultsDir, { recursive: true });
for (const benchmark of await loadBenchmarks(process.argv.slice(2))) {
  process.stderr.write(
    `bench: ${benchmark.name}: ${benchmark.candidates.length} candidates × ${options.rounds} rounds of ${options.duration} s…\n`,
  );
  const loadBefore = loadavg()[0];
  const result = await runBenchmark(benchmark, options);
  process.stdout.write(`${markdownReport(benchmark, result)}\n`);
  const record = {
    name: benchmark.name,
    description: benchmark.description,
    date: new Date().toISOString(),
    // The load average says how busy the machine was besides the benchmark (2-core shared machines).
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      loadAverage1mBefore: loadBefore,
      loadAverage1mAfter: loadavg()[0],
    },
    options,
    reference: result.reference,
    candidates: result.candidates,
    ratios: result.ratios,
    runs: result.runs,
  };
  await writeFile(new URL(`${benchmark.name}.json`, resultsDir), `${JSON.stringify(record, null, 2)}\n`);
}
