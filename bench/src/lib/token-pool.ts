/**
 * Single-use tokens handed out one per request and replaced by what each answer returns: the
 * load for refresh-token rotation (RFC 9700 §4.14.2), where every refresh token works once.
 * A request takes the oldest token; a 200 answer puts its new refresh token back. A run that
 * ends with requests in flight loses those tokens, so start with a few connections' worth per run.
 */
export class TokenPool {
  readonly #tokens: string[];
  #next = 0;
  /** Requests that found the pool empty (they send a token that fails, counted as non-2xx). */
  exhausted = 0;

  constructor(tokens: readonly string[]) {
    this.#tokens = [...tokens];
  }

  get size(): number {
    return this.#tokens.length - this.#next;
  }

  take(): string | undefined {
    if (this.#next >= this.#tokens.length) {
      this.exhausted += 1;
      return undefined;
    }
    const token = this.#tokens[this.#next]!;
    this.#next += 1;
    // Compact now and then instead of shifting on every request.
    if (this.#next > 4096) {
      this.#tokens.splice(0, this.#next);
      this.#next = 0;
    }
    return token;
  }

  /** Keeps the `refresh_token` of a successful token response. */
  returnFrom(status: number, body: string): void {
    if (status !== 200) return;
    try {
      const token = (JSON.parse(body) as { refresh_token?: unknown }).refresh_token;
      if (typeof token === 'string') this.#tokens.push(token);
    } catch {
      // not JSON: nothing to keep
    }
  }
}
