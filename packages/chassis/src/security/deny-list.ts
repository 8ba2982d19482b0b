/**
 * The revocation deny-list: a long-poll subscription to the auth server's revocation feed,
 * `GET ${issuer}/revocations?since=<id>` → `{ events: [{ id, type, jti?, sid?, sub?, exp, at? }], next? }`.
 *
 * - `access_token` revokes one token (`jti`); `session` every token of a login session (`sid`);
 *   `family` a refresh-token family — access tokens carry no family claim, so the auth server names
 *   the family's session in `sid` (and/or one token in `jti`); `user` every token of `sub` issued
 *   at or before the revocation (`at`, seconds; our receive time when absent), so a fresh login works.
 * - An event is forgotten at its `exp` (no token it covers can still be valid then).
 * - The first request has no `since`: the feed answers with every event not yet expired. After an
 *   outage the subscription reconnects with backoff and catches up from the last id it saw.
 */
import type { HealthCheck } from '../health/health-registry.js';
import { fetchJson, HttpStatusError, type FetchLike } from './fetch-json.js';
import type { Principal } from './principal.js';

export type RevocationType = 'access_token' | 'family' | 'session' | 'user';

export interface RevocationEvent {
  id: string | number;
  type: RevocationType;
  jti?: string;
  sid?: string;
  sub?: string;
  /** Seconds since the epoch after which the event no longer matters. */
  exp: number;
  /** When the revocation happened (seconds); used for `user` events. */
  at?: number;
}

export interface TokenSourceLike {
  getToken(): Promise<string>;
  invalidate?(): void;
}

export interface DenyListOptions {
  issuer: string;
  /** Default `${issuer}/revocations`. */
  feedUrl?: string;
  /** The service's own client-credentials token (the feed requires authentication). */
  tokenSource?: TokenSourceLike;
  fetch?: FetchLike;
  /** Client-side limit of one long poll (default 35 000 ms; the server holds ≤ 30 s). */
  requestTimeoutMs?: number;
  /** Reconnect backoff (default 500 ms doubling to 15 000 ms, with jitter). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** An empty answer faster than this waits out the rest before polling again (default 1000 ms). */
  minPollIntervalMs?: number;
  /** Health `warn` when the feed has been lost longer than this (default 10 000 ms). */
  warnAfterMs?: number;
  /** Health `fail` (not ready) when lost longer than this (default 60 000 ms). */
  failAfterMs?: number;
  onError?: (error: unknown) => void;
}

export interface DenyList {
  /** Starts the subscription (idempotent). */
  start(): void;
  stop(): Promise<void>;
  isRevoked(principal: Pick<Principal, 'tokenId' | 'sessionId' | 'sub' | 'issuedAt'>): boolean;
  /** Applies events directly (the feed does this; tests and local revocations may too). */
  apply(events: readonly RevocationEvent[]): void;
  /** The last answer from the feed succeeded and no poll has failed since. */
  readonly connected: boolean;
  readonly lastEventAt: Date | undefined;
  /** 0 while connected, otherwise how long the deny-list may have been missing events. */
  readonly lagMs: number;
  /** Readiness check: `warn`/`fail` when the feed has been lost longer than the thresholds. */
  healthCheck(): HealthCheck;
}

const MAX_FEED_BYTES = 4 * 1024 * 1024;

/**
 * @example
 * const denyList = createDenyList({ issuer, tokenSource: createClientCredentialsSource({...}) });
 * denyList.start();
 * app.health.register(denyList.healthCheck());
 */
export function createDenyList(options: DenyListOptions): DenyList {
  const feedUrl = options.feedUrl ?? `${options.issuer.replace(/\/+$/, '')}/revocations`;
  const initialBackoff = options.backoff?.initialMs ?? 500;
  const maxBackoff = options.backoff?.maxMs ?? 15_000;
  const minPoll = options.minPollIntervalMs ?? 1000;
  const warnAfter = options.warnAfterMs ?? 10_000;
  const failAfter = options.failAfterMs ?? 60_000;
  // value: the event's exp (seconds); for users also the revocation time.
  const jtis = new Map<string, number>();
  const sids = new Map<string, number>();
  const users = new Map<string, { exp: number; at: number }>();
  let since: string | undefined;
  let connected = false;
  let lostSince = Date.now();
  let lastEventAt: Date | undefined;
  let running: Promise<void> | undefined;
  let abort: AbortController | undefined;
  let wake: (() => void) | undefined;

  const now = () => Math.floor(Date.now() / 1000);

  function apply(events: readonly RevocationEvent[]): void {
    const received = now();
    for (const event of events) {
      if (typeof event !== 'object' || event === null || typeof event.exp !== 'number') continue;
      if (event.exp <= received) continue;
      if (typeof event.jti === 'string' && (event.type === 'access_token' || event.type === 'family'))
        jtis.set(event.jti, Math.max(event.exp, jtis.get(event.jti) ?? 0));
      if (typeof event.sid === 'string' && (event.type === 'session' || event.type === 'family'))
        sids.set(event.sid, Math.max(event.exp, sids.get(event.sid) ?? 0));
      if (typeof event.sub === 'string' && event.type === 'user') {
        const at = typeof event.at === 'number' ? event.at : received;
        const previous = users.get(event.sub);
        users.set(event.sub, {
          exp: Math.max(event.exp, previous?.exp ?? 0),
          at: Math.max(at, previous?.at ?? 0),
        });
      }
    }
    if (events.length > 0) lastEventAt = new Date();
  }

  function live<V>(map: Map<string, V>, key: string | undefined, exp: (v: V) => number): V | undefined {
    if (key === undefined) return undefined;
    const value = map.get(key);
    if (value === undefined) return undefined;
    if (exp(value) <= now()) {
      map.delete(key);
      return undefined;
    }
    return value;
  }

  function sweep(): void {
    const t = now();
    for (const [k, exp] of jtis) if (exp <= t) jtis.delete(k);
    for (const [k, exp] of sids) if (exp <= t) sids.delete(k);
    for (const [k, v] of users) if (v.exp <= t) users.delete(k);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function pollOnce(signal: AbortSignal): Promise<number> {
    const token = await options.tokenSource?.getToken();
    const url = since === undefined ? feedUrl : `${feedUrl}?since=${encodeURIComponent(since)}`;
    let body: { events?: unknown; next?: unknown };
    try {
      body = (await fetchJson(url, {
        fetch: options.fetch,
        timeoutMs: options.requestTimeoutMs ?? 35_000,
        maxBytes: MAX_FEED_BYTES,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal,
      })) as typeof body;
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 401) options.tokenSource?.invalidate?.();
      throw error;
    }
    const events = Array.isArray(body.events) ? (body.events as RevocationEvent[]) : [];
    apply(events);
    const last = events.at(-1);
    if (typeof body.next === 'string' || typeof body.next === 'number') since = String(body.next);
    else if (last && (typeof last.id === 'string' || typeof last.id === 'number')) since = String(last.id);
    if (!connected) connected = true;
    return events.length;
  }

  async function loop(controller: AbortController): Promise<void> {
    let delay = initialBackoff;
    let sweptAt = Date.now();
    while (!controller.signal.aborted) {
      const started = Date.now();
      try {
        const count = await pollOnce(controller.signal);
        delay = initialBackoff;
        if (Date.now() - sweptAt > 60_000) {
          sweep();
          sweptAt = Date.now();
        }
        const elapsed = Date.now() - started;
        if (count === 0 && elapsed < minPoll && !controller.signal.aborted) await sleep(minPoll - elapsed);
      } catch (error) {
        if (controller.signal.aborted) break;
        if (connected) {
          connected = false;
          lostSince = Date.now();
        }
        options.onError?.(error);
        await sleep(delay / 2 + Math.random() * (delay / 2)); // jittered, so replicas do not reconnect in step
        delay = Math.min(delay * 2, maxBackoff);
      }
    }
  }

  return {
    start() {
      if (running) return;
      abort = new AbortController();
      lostSince = Date.now();
      running = loop(abort);
    },
    async stop() {
      abort?.abort();
      wake?.();
      await running;
      running = undefined;
      connected = false;
    },
    apply,
    isRevoked(principal) {
      if (live(jtis, principal.tokenId, (exp) => exp) !== undefined) return true;
      if (live(sids, principal.sessionId, (exp) => exp) !== undefined) return true;
      const user = live(users, principal.sub, (v) => v.exp);
      return user !== undefined && principal.issuedAt <= user.at;
    },
    get connected() {
      return connected;
    },
    get lastEventAt() {
      return lastEventAt;
    },
    get lagMs() {
      return connected ? 0 : Date.now() - lostSince;
    },
    healthCheck(): HealthCheck {
      return {
        component: 'revocation-feed',
        measurement: 'lag',
        componentType: 'component',
        check: () => {
          const lag = connected ? 0 : Date.now() - lostSince;
          const status = lag > failAfter ? 'fail' : lag > warnAfter ? 'warn' : 'pass';
          return {
            status,
            observedValue: lag,
            observedUnit: 'ms',
            ...(status === 'pass' ? {} : { output: `revocation feed lost for ${lag} ms` }),
          };
        },
      };
    },
  };
}
