import type { Measurement } from './measure.js';

export interface Comparison {
  /** Median of a's rounds, then of b's. */
  readonly a: Measurement;
  readonly b: Measurement;
  /** b's throughput as a fraction of a's (medians). */
  readonly ratio: number;
  /** Every run, in the order it ran. */
  readonly runs: readonly { readonly side: 'a' | 'b'; readonly result: Measurement }[];
}

/**
 * Runs a, b, a, b, … (`rounds` of each), interleaved so that drift on the machine (thermal
 * throttling, a noisy neighbour) lands on both sides alike, and compares the medians.
 */
export async function compare(
  a: () => Promise<Measurement>,
  b: () => Promise<Measurement>,
  rounds = 2,
): Promise<Comparison> {
  const runs: { side: 'a' | 'b'; result: Measurement }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    runs.push({ side: 'a', result: await a() });
    runs.push({ side: 'b', result: await b() });
  }
  const side = (s: 'a' | 'b') => medianMeasurement(runs.filter((r) => r.side === s).map((r) => r.result));
  const medianA = side('a');
  const medianB = side('b');
  return { a: medianA, b: medianB, ratio: medianA.rps === 0 ? 0 : medianB.rps / medianA.rps, runs };
}

/** Field-wise median (the mean of the middle two for an even count). */
export function medianMeasurement(results: readonly Measurement[]): Measurement {
  const pick = (field: keyof Measurement) => median(results.map((r) => r[field]));
  return {
    rps: pick('rps'),
    p50: pick('p50'),
    p99: pick('p99'),
    errors: pick('errors'),
    non2xx: pick('non2xx'),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
