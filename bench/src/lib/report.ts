import type { Benchmark } from './benchmark.js';
import type { BenchmarkResult } from './run-benchmark.js';

const rps = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const signedMs = (value: number) => `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
const times = (value: number) => `${value.toFixed(2)}×`;

/** The benchmark's result as Markdown: one row per candidate, then each ratio with its verdict. */
export function markdownReport(benchmark: Benchmark, result: BenchmarkResult): string {
  const reference = result.candidates.find((c) => c.label === result.reference)!;
  const rows = result.candidates.map((c) =>
    [
      c.label,
      rps(c.rps),
      ms(c.p50),
      ms(c.p99),
      String(c.errors + c.non2xx),
      c === reference ? '1.00×' : times(reference.rps === 0 ? 0 : c.rps / reference.rps),
      c === reference ? '—' : signedMs(c.p99 - reference.p99),
    ].join(' | '),
  );
  const verdicts = result.ratios.map((r) => {
    const line = `- ${r.candidate} / ${r.baseline}: **${times(r.ratio)}**`;
    if (r.minRatio === undefined) return line;
    return `${line} (target ≥ ${times(r.minRatio)}: ${r.met ? 'met' : '**NOT met**'})`;
  });
  // A reset or two when a run stops is noise; more than 0.1 % of failures changes what was measured.
  const failed = result.candidates
    .filter((c) => c.errors + c.non2xx > Math.max(1, c.total / 1000))
    .map((c) => `- ⚠ ${c.label}: errors or non-2xx answers beyond 0.1 %, so its figures are not comparable.`);
  return [
    `### ${benchmark.name}`,
    '',
    benchmark.description,
    '',
    `| candidate | req/s | p50 | p99 | errors + non-2xx | vs ${result.reference} | p99 vs ${result.reference} |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row} |`),
    '',
    ...(failed.length > 0 ? [...failed, ''] : []),
    ...(verdicts.length > 0 ? ['Throughput ratios (medians):', '', ...verdicts, ''] : []),
  ].join('\n');
}
