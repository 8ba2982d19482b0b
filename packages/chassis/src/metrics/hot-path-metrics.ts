/**
 * A histogram and a gauge for the per-request hot path. prom-client hashes the label object on
 * every observation; these keep one plain record per label combination (looked up once per
 * request by a string key) and hand prom-client's registry the same exposition data when scraped.
 */
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface ExportedValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

interface Exported {
  name: string;
  help: string;
  type: 'histogram' | 'gauge';
  values: ExportedValue[];
  aggregator: 'sum';
}

export interface HistogramSeries {
  observe(value: number): void;
}

/** One label combination's buckets, kept as they are observed (non-cumulative). */
class Series implements HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    // Export makes the buckets cumulative (le semantics).
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    if (i < bounds.length) this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count += 1;
  }
}

export class HotHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, Series>();
  readonly #nested = new Map<string, Map<string, Map<string | number, Series>>>();

  constructor(options: { name: string; help: string; buckets: readonly number[]; registers: Registry[] }) {
    this.name = options.name;
    this.help = options.help;
    this.#bounds = [...options.buckets].sort((a, b) => a - b);
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  /** The series for `key` (created with `labels` on first use; the same object every time). */
  series(key: string, labels: () => Labels): HistogramSeries {
    let series = this.#series.get(key);
    if (series === undefined) {
      series = new Series(labels(), this.#bounds);
      this.#series.set(key, series);
    }
    return series;
  }

  /**
   * The series for three label values that callers reuse (a route name, a method, a status
   * number), found through nested maps: no key string is built and hashed per request. `labels`
   * (called once per new combination) should be one function, not a closure per call.
   */
  seriesOf<A extends string, B extends string, C extends string | number>(
    a: A,
    b: B,
    c: C,
    labels: (a: A, b: B, c: C) => Labels,
  ): HistogramSeries {
    let byB = this.#nested.get(a);
    if (byB === undefined) this.#nested.set(a, (byB = new Map()));
    let byC = byB.get(b);
    if (byC === undefined) byB.set(b, (byC = new Map()));
    let series = byC.get(c);
    if (series === undefined) {
      series = this.series(`${a}\0${b}\0${c}`, () => labels(a, b, c)) as Series;
      byC.set(c, series);
    }
    return series;
  }

  get(): Promise<Exported> {
    const values: ExportedValue[] = [];
    for (const { labels, counts, sum, count } of this.#series.values()) {
      let cumulative = 0;
      this.#bounds.forEach((bound, i) => {
        cumulative += counts[i] as number;
        values.push({
          labels: { ...labels, le: String(bound) },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      });
      values.push({ labels: { ...labels, le: '+Inf' }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: 'histogram',
      values,
      aggregator: 'sum',
    });
  }

  reset(): void {
    this.#series.clear();
    this.#nested.clear();
  }
}

export class HotGauge {
  readonly name: string;
  readonly help: string;
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  readonly #values = new Map<string, { labels: Labels; value: number }>();

  constructor(options: { name: string; help: string; registers: Registry[] }) {
    this.name = options.name;
    this.help = options.help;
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  series(key: string, labels: () => Labels): { value: number } {
    let series = this.#values.get(key);
    if (series === undefined) {
      series = { labels: labels(), value: 0 };
      this.#values.set(key, series);
    }
    return series;
  }

  get(): Promise<Exported> {
    const values = [...this.#values.values()].map(({ labels, value }) => ({ labels, value }));
    return Promise.resolve({ name: this.name, help: this.help, type: 'gauge', values, aggregator: 'sum' });
  }

  reset(): void {
    this.#values.clear();
  }
}
