import type { Benchmark } from './benchmark.js';
import type { Comparison } from './compare.js';
import type { Measurement } from './measure.js';

const rps = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

function row(label: string, m: Measurement, ratio: string): string {
  const failures = m.errors + m.non2xx;
  return `| ${label} | ${rps(m.rps)} | ${ms(m.p50)} | ${ms(m.p99)} | ${failures} | ${ratio} |`;
}

/** The benchmark's result as a Markdown table, with the verdict against its target. */
export function markdownReport(benchmark: Benchmark, comparison: Comparison): string {
  const met = comparison.ratio >= benchmark.minRatio;
  return [
    `### ${benchmark.name}`,
    '',
    benchmark.description,
    '',
    '| server | req/s | p50 | p99 | errors + non-2xx | vs baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row(`${benchmark.baseline.label} (baseline)`, comparison.a, '1.00×'),
    row(benchmark.candidate.label, comparison.b, `${comparison.ratio.toFixed(2)}×`),
    '',
    `Target ≥ ${benchmark.minRatio.toFixed(2)}× the baseline's throughput: ${met ? 'met' : '**NOT met**'}.`,
    '',
  ].join('\n');
}
