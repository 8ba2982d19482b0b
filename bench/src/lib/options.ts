import type { RunOptions } from './run-benchmark.js';

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`invalid ${name}: ${JSON.stringify(raw)} (expected seconds or a count ≥ 0)`);
  return value;
}

/**
 * The run's options from the environment: BENCH_DURATION (seconds measured per run, default 5),
 * BENCH_WARMUP (seconds of discarded load before each candidate's first run, default 1),
 * BENCH_CONNECTIONS (default 50), BENCH_ROUNDS (runs of each candidate, interleaved, default 2).
 * Benchmarks read them too, to size what they prepare (e.g. refresh tokens).
 */
export function benchOptions(): RunOptions {
  return {
    duration: numberFromEnv('BENCH_DURATION', 5),
    warmup: numberFromEnv('BENCH_WARMUP', 1),
    connections: Math.max(1, Math.round(numberFromEnv('BENCH_CONNECTIONS', 50))),
    rounds: Math.max(1, Math.round(numberFromEnv('BENCH_ROUNDS', 2))),
  };
}
