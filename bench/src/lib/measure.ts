import autocannon from 'autocannon';

export interface MeasureOptions {
  readonly connections?: number;
  /** Seconds of the measured run. */
  readonly duration?: number;
  /** Seconds of load before it, discarded (JIT, connection set-up, caches). */
  readonly warmup?: number;
  readonly path?: string;
  readonly headers?: Record<string, string>;
}

export interface Measurement {
  /** Mean requests per second over the measured run. */
  readonly rps: number;
  /** Latency percentiles in milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** Loads `url` with autocannon: a discarded warm-up, then the measured run. */
export async function measure(url: string, options: MeasureOptions = {}): Promise<Measurement> {
  const { connections = 50, duration = 10, warmup = 2, path = '/', headers = {} } = options;
  const target = new URL(path, url).href;
  if (warmup > 0) await autocannon({ url: target, connections, duration: warmup, headers });
  const result = await autocannon({ url: target, connections, duration, headers });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
