/**
 * One upstream origin: its circuit breaker (cockatiel), passive ejection after connect failures,
 * and the result of the last active health check. Kept across route-table reloads (keyed by URL
 * and breaker settings), so a reload never resets what the gateway has learnt about a backend.
 */
import {
  ConsecutiveBreaker,
  CircuitState,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';

/** The client went away mid-request: not the upstream's failure, so never counted by its breaker. */
export class ClientAborted extends Error {}

export type BreakerStateName = 'closed' | 'open' | 'half_open';

export interface UpstreamEvents {
  onBreakerState(upstream: Upstream, state: BreakerStateName): void;
  onHealth(upstream: Upstream, healthy: boolean): void;
}

export class Upstream {
  readonly url: string;
  /** `scheme://host:port` and the path prefix of `url` (empty, or `/base` without a trailing slash). */
  readonly origin: string;
  readonly basePath: string;
  readonly breaker: CircuitBreakerPolicy;
  #ejectedUntil = 0;
  #healthy = true;
  #openedAt = 0;
  readonly #halfOpenAfterMs: number;

  constructor(
    url: string,
    options: { failures: number; halfOpenAfterMs: number },
    private readonly events: UpstreamEvents,
  ) {
    this.url = url.replace(/\/+$/, '');
    const parsed = new URL(this.url);
    this.origin = parsed.origin;
    this.basePath = parsed.pathname === '/' ? '' : parsed.pathname;
    this.#halfOpenAfterMs = options.halfOpenAfterMs;
    // A client that hangs up says nothing about the upstream: only real failures count.
    this.breaker = circuitBreaker(
      handleWhen((error) => !(error instanceof ClientAborted)),
      {
        halfOpenAfter: options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.failures),
      },
    );
    this.breaker.onStateChange((state) => {
      if (state === CircuitState.Open) this.#openedAt = Date.now();
      this.events.onBreakerState(this, stateName(state));
    });
  }

  get breakerState(): BreakerStateName {
    return stateName(this.breaker.state);
  }

  /** Passive health: skip this upstream until `now + ms`. */
  eject(ms: number): void {
    if (ms <= 0) return;
    const wasAvailable = this.available;
    this.#ejectedUntil = Date.now() + ms;
    if (wasAvailable) this.events.onHealth(this, false);
  }

  setHealthy(healthy: boolean): void {
    if (healthy === this.#healthy) return;
    this.#healthy = healthy;
    this.events.onHealth(this, this.available);
  }

  recoverFromEjection(): void {
    if (this.#ejectedUntil !== 0) {
      this.#ejectedUntil = 0;
      this.events.onHealth(this, this.available);
    }
  }

  get ejectedUntil(): number {
    return this.#ejectedUntil;
  }

  /** Healthy, not ejected, breaker not open (half-open lets its trial request through). */
  get available(): boolean {
    return this.#healthy && this.#ejectedUntil <= Date.now() && this.admitsTrial;
  }

  /** Closed or half-open, or open long enough that cockatiel will let the next call through as a trial. */
  get admitsTrial(): boolean {
    return this.breaker.state !== CircuitState.Open || Date.now() >= this.#openedAt + this.#halfOpenAfterMs;
  }

  get healthy(): boolean {
    return this.#healthy;
  }
}

function stateName(state: CircuitState): BreakerStateName {
  if (state === CircuitState.Open || state === CircuitState.Isolated) return 'open';
  if (state === CircuitState.HalfOpen) return 'half_open';
  return 'closed';
}

/**
 * Round robin over the route's upstreams, skipping unavailable ones. When every upstream is
 * ejected or unhealthy but some breaker still admits requests, the one whose ejection ends first
 * is used anyway (a "panic" choice, as Envoy does) — refusing everything would turn one bad
 * health signal into a full outage. When every breaker is open the answer is 503.
 */
export class UpstreamPool {
  #next = 0;

  constructor(readonly upstreams: readonly Upstream[]) {}

  pick(exclude?: ReadonlySet<Upstream>): Upstream | undefined {
    const n = this.upstreams.length;
    for (let i = 0; i < n; i++) {
      const candidate = this.upstreams[(this.#next + i) % n]!;
      if (candidate.available && !exclude?.has(candidate)) {
        this.#next = (this.#next + i + 1) % n;
        return candidate;
      }
    }
    let best: Upstream | undefined;
    for (const candidate of this.upstreams) {
      if (exclude?.has(candidate) || !candidate.admitsTrial) continue;
      if (!best || candidate.ejectedUntil < best.ejectedUntil) best = candidate;
    }
    return best;
  }
}
