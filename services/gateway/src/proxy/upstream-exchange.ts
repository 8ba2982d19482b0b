/**
 * One request/response exchange with an upstream over undici's dispatcher API, written straight
 * into the client's `ServerResponse`: no intermediate Readable, no pipe. (Through
 * `@fastify/reply-from` — `undici.request()`, a body stream, Fastify's stream sending — the same
 * forwarding cost about 40 % more CPU per request; see the README's gateway benchmark.)
 *
 * `started` settles once the upstream's final response headers arrive (or the exchange fails
 * before them), so a circuit breaker can time and judge the attempt. Body bytes that arrive
 * before the caller decides what to do with the response are held, then written by `commit()`
 * (forward to the client) or dropped by `discard()` (retry elsewhere).
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[]>;

export interface UpstreamResponse {
  readonly statusCode: number;
  readonly headers: Headers;
}

// RFC 9110 §7.6.1: hop-by-hop fields of the upstream connection are not the client's.
const HOP_BY_HOP_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'te',
]);

/**
 * Adds the upstream's response headers to `out` (the gateway's own, which win), minus hop-by-hop
 * ones and any the upstream lists in `Connection`.
 */
function addEndToEndHeaders(out: OutgoingHttpHeaders, headers: Headers): OutgoingHttpHeaders {
  const connection = headers.connection;
  const listed =
    typeof connection === 'string' ? connection.split(',').map((n) => n.trim().toLowerCase()) : undefined;
  for (const name in headers) {
    if (out[name] !== undefined || HOP_BY_HOP_RESPONSE.has(name) || listed?.includes(name)) continue;
    out[name] = headers[name];
  }
  return out;
}

export class UpstreamExchange implements Dispatcher.DispatchHandler {
  readonly started: Promise<UpstreamResponse>;
  #resolve!: (response: UpstreamResponse) => void;
  #reject!: (error: unknown) => void;
  #controller: Controller | undefined;
  #response: UpstreamResponse | undefined;
  #held: Buffer[] | undefined;
  #ended = false;
  #failed: unknown;
  /** Set by commit(): where body bytes go from then on. */
  #client: ServerResponse | undefined;
  #dropped = false;

  readonly #refuse: ((statusCode: number) => unknown) | undefined;

  /**
   * `refuse` judges the final status: what it returns (an error) rejects `started` instead of
   * resolving it, the response still held for `commit()` or `discard()` (a circuit breaker counts
   * an upstream's 502–504 as a failure).
   */
  constructor(refuse?: (statusCode: number) => unknown) {
    this.#refuse = refuse;
    this.started = new Promise<UpstreamResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** The upstream's final response status and headers, once they arrived. */
  get response(): UpstreamResponse | undefined {
    return this.#response;
  }

  /**
   * Cancels the exchange (the client went away, or the response is not wanted). The owner watches
   * the client: `forward()` holds one `close` listener per request, for every attempt and for the
   * body it streams.
   */
  abort(reason: Error): void {
    this.#dropped = true;
    this.#held = undefined;
    if (this.#controller && !this.#controller.aborted && !this.#ended) this.#controller.abort(reason);
    else if (!this.#response) this.#reject(reason);
  }

  /** Drops a response the caller will not forward (it retries instead). */
  discard(): void {
    this.abort(new Error('response discarded'));
  }

  /**
   * Sends the response to the client: status, the upstream's end-to-end headers with `own`
   * (the gateway's: a fresh object, which this fills) on top, the held body, then the rest as it
   * arrives, with backpressure.
   */
  commit(res: ServerResponse, own: OutgoingHttpHeaders): void {
    const response = this.#response;
    if (!response) throw new Error('commit() before the response started');
    res.writeHead(response.statusCode, addEndToEndHeaders(own, response.headers));
    const held = this.#held;
    this.#held = undefined;
    if (this.#failed !== undefined) {
      // The body broke before we got here: the client sees a truncated response, never a made-up end.
      res.destroy();
      return;
    }
    if (this.#ended) {
      // The whole body is here (the usual case for small responses): one write with the headers.
      if (!held || held.length === 0) res.end();
      else if (held.length === 1) res.end(held[0]);
      else res.end(Buffer.concat(held));
      return;
    }
    this.#client = res;
    if (held) for (const chunk of held) res.write(chunk);
  }

  onRequestStart(controller: Controller): void {
    this.#controller = controller;
    if (this.#dropped) controller.abort(new Error('exchange cancelled'));
  }

  onResponseStart(_controller: Controller, statusCode: number, headers: Headers): void {
    // 1xx informational answers precede the final one; they are not forwarded.
    if (statusCode < 200) return;
    this.#response = { statusCode, headers };
    const refusal = this.#refuse?.(statusCode);
    if (refusal === undefined) this.#resolve(this.#response);
    else this.#reject(refusal);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    const client = this.#client;
    if (client) {
      if (!client.write(chunk)) {
        controller.pause();
        client.once('drain', () => controller.resume());
      }
      return;
    }
    if (this.#dropped) return;
    (this.#held ??= []).push(chunk);
  }

  onResponseEnd(): void {
    this.#ended = true;
    this.#client?.end();
  }

  onResponseError(_controller: Controller, error: Error): void {
    if (!this.#response) {
      this.#reject(error);
      return;
    }
    this.#failed = error;
    this.#held = undefined;
    // Headers already went out: all that is left is to end the connection so the client sees
    // the truncation (a 2xx with a short body would be a lie).
    this.#client?.destroy();
  }
}
