/** A bounded JSON GET: timeout, no redirects, size cap — what every security fetch needs. */
export type FetchLike = typeof fetch;

export interface FetchJsonOptions {
  fetch?: FetchLike | undefined;
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`GET ${url} answered ${status}`);
    this.name = 'HttpStatusError';
  }
}

export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const response = await (options.fetch ?? fetch)(url, {
    headers: { accept: 'application/json', ...options.headers },
    redirect: 'error',
    signal,
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new HttpStatusError(url, response.status);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new Error(`GET ${url}: response larger than ${options.maxBytes} bytes`);
  }
  const text = await response.text();
  if (text.length > options.maxBytes)
    throw new Error(`GET ${url}: response larger than ${options.maxBytes} bytes`);
  return JSON.parse(text) as unknown;
}
