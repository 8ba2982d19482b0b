import autocannon from 'autocannon';

/** What every connection sends, over and over. */
export interface LoadRequest {
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** A body per request instead of `body` (each call gives the next one). */
  readonly nextBody?: () => string;
  /** Sees every response (e.g. to keep the refresh token a rotation returned). */
  readonly onResponse?: (status: number, body: string) => void;
}

export interface MeasureOptions {
  readonly connections?: number;
  /** Seconds of the measured run. */
  readonly duration?: number;
  /** Seconds of load before it, discarded (JIT, connection set-up, caches). */
  readonly warmup?: number;
}

export interface Measurement {
  /** Mean requests per second over the measured run. */
  readonly rps: number;
  /** Latency percentiles in milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Requests answered during the measured run. */
  readonly total: number;
  /** Responses per status code (one run's; medians leave it out). */
  readonly statuses?: Readonly<Record<string, number>>;
}

function autocannonOptions(
  url: string,
  request: LoadRequest,
  connections: number,
  duration: number,
): autocannon.Options {
  const { method = 'GET', path, headers = {}, body, nextBody, onResponse } = request;
  const base = { url: new URL(path, url).href, connections, duration };
  if (!nextBody && !onResponse)
    return { ...base, method, headers: { ...headers }, ...(body ? { body } : {}) };
  // One dynamic request per connection: autocannon calls setupRequest before each send and
  // onResponse after each answer, in that connection's order.
  return {
    ...base,
    requests: [
      {
        method,
        path,
        headers: { ...headers },
        ...(body ? { body } : {}),
        ...(nextBody ? { setupRequest: (req: object) => ({ ...req, body: nextBody() }) } : {}),
        ...(onResponse ? { onResponse: (status: number, text: string) => onResponse(status, text) } : {}),
      },
    ],
  };
}

/** Loads `url` with autocannon: an optional discarded warm-up, then the measured run. */
export async function measure(
  url: string,
  request: LoadRequest,
  options: MeasureOptions = {},
): Promise<Measurement> {
  const { connections = 50, duration = 5, warmup = 0 } = options;
  if (warmup > 0) await autocannon(autocannonOptions(url, request, connections, warmup));
  const result = await autocannon(autocannonOptions(url, request, connections, duration));
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
    ),
  };
}
