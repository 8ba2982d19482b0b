import type { LoadRequest } from './measure.js';
import type { ServerProcess } from './server-process.js';

/** The processes a benchmark started, by the key it gave them. */
export type StartedServers = Readonly<Record<string, ServerProcess>>;

/** A server script to load: it prints `{"benchListening": <port>, …}` once it listens. */
export interface BenchServer {
  /** Absolute path of the compiled script. */
  readonly script: string;
  /**
   * Its environment; as a function, it receives the servers started before it (an upstream's
   * URL, an issuer's), since servers start in the order they are declared.
   */
  readonly env?: NodeJS.ProcessEnv | ((started: StartedServers) => NodeJS.ProcessEnv);
  /** Longest wait for the listening line (a server that seeds data needs more). Default 15 s. */
  readonly startupTimeoutMs?: number;
}

/** One row of the report: a request loaded against one of the servers. */
export interface Candidate {
  /** Row label in the report, unique within the benchmark. */
  readonly label: string;
  /** Key of the server in `Benchmark.servers`. */
  readonly server: string;
  /**
   * The request, or a function building it before each run, once every server runs (to fetch a
   * fresh token, or to hand out refresh tokens from what the server printed).
   */
  readonly request: LoadRequest | ((started: StartedServers) => LoadRequest | Promise<LoadRequest>);
}

/** A throughput ratio to report: `candidate` over `baseline` (labels). */
export interface Ratio {
  readonly candidate: string;
  readonly baseline: string;
  /** The verdict's threshold; without one the ratio is only reported. */
  readonly minRatio?: number;
}

/**
 * One benchmark: several candidates loaded in the same run, interleaved. Files in
 * `src/benchmarks/` export one as their default export.
 */
export interface Benchmark {
  /** File name without extension; `node bench/dist/run.js <name>` runs this one. */
  readonly name: string;
  readonly description: string;
  /** Server processes, started in this order and stopped in the reverse one. */
  readonly servers: Readonly<Record<string, BenchServer>>;
  readonly candidates: readonly Candidate[];
  /** The label the "vs" and "p99 added" columns compare with (default: the first candidate). */
  readonly reference?: string;
  readonly ratios?: readonly Ratio[];
  /** Runs once the servers have stopped (drops a PostgreSQL schema, removes temp files). */
  readonly teardown?: () => Promise<void>;
}
