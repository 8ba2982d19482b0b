import type { Measurement } from './measure.js';

export interface Run {
  readonly label: string;
  readonly round: number;
  readonly result: Measurement;
}

export interface Interleaved {
  /** The field-wise median of each label's rounds, in the candidates' order. */
  readonly medians: ReadonlyMap<string, Measurement>;
  /** Every run, in the order it ran. */
  readonly runs: readonly Run[];
}

/**
 * Runs every candidate once per round, `rounds` rounds, interleaved so that drift on the machine
 * (thermal throttling, a noisy neighbour) lands on every candidate alike, and takes the medians.
 * Each round starts one candidate later (a b c, b c a, c a b, …): on a small machine where a run
 * is placed within its round measurably matters (what ran just before it, the host's rhythm),
 * no candidate always gets the same place.
 */
export async function interleave(
  candidates: readonly { readonly label: string; run(round: number): Promise<Measurement> }[],
  rounds = 2,
): Promise<Interleaved> {
  const runs: Run[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < candidates.length; i += 1) {
      const candidate = candidates[(round + i) % candidates.length]!;
      runs.push({ label: candidate.label, round, result: await candidate.run(round) });
    }
  }
  const medians = new Map(
    candidates.map((c) => [
      c.label,
      medianMeasurement(runs.filter((r) => r.label === c.label).map((r) => r.result)),
    ]),
  );
  return { medians, runs };
}

export function throughputRatio(candidate: Measurement, baseline: Measurement): number {
  return baseline.rps === 0 ? 0 : candidate.rps / baseline.rps;
}

/** Field-wise median (the mean of the middle two for an even count). */
export function medianMeasurement(results: readonly Measurement[]): Measurement {
  const pick = (field: Exclude<keyof Measurement, 'statuses'>) => median(results.map((r) => r[field]));
  return {
    rps: pick('rps'),
    p50: pick('p50'),
    p99: pick('p99'),
    errors: pick('errors'),
    non2xx: pick('non2xx'),
    total: pick('total'),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
