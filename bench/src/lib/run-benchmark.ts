import type { Benchmark, StartedServers } from './benchmark.js';
import { interleave, throughputRatio, type Run } from './compare.js';
import { measure, type LoadRequest, type Measurement, type MeasureOptions } from './measure.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface RunOptions extends MeasureOptions {
  /** Measured runs of each candidate. */
  readonly rounds: number;
  /** Progress lines (stderr by default). */
  readonly log?: (line: string) => void;
}

export interface CandidateResult extends Measurement {
  readonly label: string;
  /** Bytes its server wrote to stdout (logs), drained. */
  readonly logBytes: number;
}

export interface RatioResult {
  readonly candidate: string;
  readonly baseline: string;
  readonly ratio: number;
  readonly minRatio?: number;
  readonly met?: boolean;
}

export interface BenchmarkResult {
  readonly candidates: readonly CandidateResult[];
  readonly reference: string;
  readonly ratios: readonly RatioResult[];
  readonly runs: readonly Run[];
}

/**
 * Starts the benchmark's servers (each in its own process, in order), loads every candidate in
 * turn for `rounds` rounds — with the warm-up before each candidate's first round only — and
 * stops them all, whatever happens.
 */
export async function runBenchmark(benchmark: Benchmark, options: RunOptions): Promise<BenchmarkResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started: Record<string, ServerProcess> = {};
  try {
    for (const [key, server] of Object.entries(benchmark.servers)) {
      const env = typeof server.env === 'function' ? server.env(started) : server.env;
      started[key] = await startServerProcess(server.script, {
        ...(env ? { env } : {}),
        ...(server.startupTimeoutMs ? { startupTimeoutMs: server.startupTimeoutMs } : {}),
      });
    }
    const prepared = benchmark.candidates.map((candidate) => {
      const server = started[candidate.server];
      if (!server) throw new Error(`${benchmark.name}: candidate "${candidate.label}" names no server`);
      return { candidate, server };
    });
    const { medians, runs } = await interleave(
      prepared.map(({ candidate, server }) => ({
        label: candidate.label,
        run: async (round: number) => {
          // Built before each run: a function may fetch a fresh token.
          const request: LoadRequest =
            typeof candidate.request === 'function' ? await candidate.request(started) : candidate.request;
          const result = await measure(server.url, request, {
            ...options,
            warmup: round === 0 ? options.warmup : 0,
          });
          const failures = Object.entries(result.statuses ?? {}).filter(([code]) => !code.startsWith('2'));
          if (result.errors > 0) failures.push(['connection errors', result.errors]);
          log(
            `  ${candidate.label} #${round + 1}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms` +
              (failures.length > 0
                ? ` — NOT ALL 2xx: ${failures.map(([k, v]) => `${k} ×${v}`).join(', ')}`
                : ''),
          );
          return result;
        },
      })),
      options.rounds,
    );
    return summarize(benchmark, medians, runs, started);
  } finally {
    for (const server of Object.values(started).reverse()) await server.stop();
    await benchmark.teardown?.();
  }
}

function summarize(
  benchmark: Benchmark,
  medians: ReadonlyMap<string, Measurement>,
  runs: readonly Run[],
  started: StartedServers,
): BenchmarkResult {
  const candidates = benchmark.candidates.map((c) => ({
    label: c.label,
    ...medians.get(c.label)!,
    logBytes: started[c.server]?.stdoutBytes() ?? 0,
  }));
  const median = (label: string) => {
    const found = medians.get(label);
    if (!found) throw new Error(`${benchmark.name}: no candidate labelled "${label}"`);
    return found;
  };
  const ratios = (benchmark.ratios ?? []).map((r) => {
    const ratio = throughputRatio(median(r.candidate), median(r.baseline));
    return {
      ...r,
      ratio,
      ...(r.minRatio === undefined ? {} : { met: ratio >= r.minRatio }),
    };
  });
  const reference = benchmark.reference ?? benchmark.candidates[0]?.label ?? '';
  median(reference);
  return { candidates, reference, ratios, runs };
}
