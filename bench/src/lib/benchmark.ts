import type { MeasureOptions } from './measure.js';

/** A server script to load: it prints `{"benchListening": <port>}` once it listens. */
export interface BenchServer {
  /** Row label in the report. */
  readonly label: string;
  /** Absolute path of the compiled script. */
  readonly script: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * One benchmark: the same request against a named baseline and a candidate, in the same run.
 * Files in `src/benchmarks/` export one as their default export.
 */
export interface Benchmark {
  /** File name without extension; `node bench/dist/run.js <name>` runs this one. */
  readonly name: string;
  readonly description: string;
  readonly baseline: BenchServer;
  readonly candidate: BenchServer;
  readonly request: Pick<MeasureOptions, 'path' | 'headers'>;
  /** The candidate's throughput must be at least this fraction of the baseline's. */
  readonly minRatio: number;
}
