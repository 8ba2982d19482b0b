/**
 * Compiles validated routes into a `RouteTable`, reusing upstream state (breakers, ejections,
 * health) across reloads, and runs the active health checks of the table in force.
 */
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { LimiterFactory } from '../rate-limit/rate-limiter.js';
import { Upstream, UpstreamPool, type UpstreamEvents } from '../proxy/upstream.js';
import type { ValidRoute } from './load-routes.js';
import { RouteTable, type CompiledRoute } from './route-table.js';

interface HealthCheckTimer {
  key: string;
  timer: NodeJS.Timeout;
}

export class RouteRegistry {
  readonly #upstreams = new Map<string, Upstream>();
  #checks = new Map<string, HealthCheckTimer>();

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly limiters: LimiterFactory,
    private readonly events: UpstreamEvents,
  ) {}

  compile(routes: readonly ValidRoute[]): RouteTable {
    const compiled: CompiledRoute[] = routes.map((spec) => ({
      spec,
      name: spec.name,
      prefix: spec.prefix,
      pool: new UpstreamPool(spec.upstreams.map((url) => this.#upstream(url, spec))),
      methods: spec.methods ? new Set(spec.methods) : undefined,
      limiter: spec.rateLimit ? this.limiters.create(spec.name, spec.rateLimit) : undefined,
    }));
    return new RouteTable(compiled);
  }

  /** Starts the health checks the table asks for and stops those it no longer does. */
  activate(table: RouteTable): void {
    const wanted = new Map<
      string,
      { upstream: Upstream; path: string; intervalMs: number; timeoutMs: number }
    >();
    for (const route of table.routes) {
      const check = route.spec.healthCheck;
      if (!check) continue;
      for (const upstream of route.pool.upstreams)
        wanted.set(`${upstream.url}|${check.path}|${check.intervalMs}`, { upstream, ...check });
    }
    const next = new Map<string, HealthCheckTimer>();
    for (const [key, check] of wanted) {
      const existing = this.#checks.get(key);
      if (existing) {
        next.set(key, existing);
        continue;
      }
      const run = () => void this.#probe(check.upstream, check.path, check.timeoutMs);
      const timer = setInterval(run, check.intervalMs);
      timer.unref();
      run();
      next.set(key, { key, timer });
    }
    for (const [key, check] of this.#checks) if (!next.has(key)) clearInterval(check.timer);
    this.#checks = next;
    // Upstreams that no route uses any more are forgotten (their checks were stopped above).
    const used = new Set(table.routes.flatMap((r) => r.pool.upstreams));
    for (const [key, upstream] of this.#upstreams) if (!used.has(upstream)) this.#upstreams.delete(key);
    const checked = new Set([...wanted.values()].map((c) => c.upstream));
    for (const upstream of used) if (!checked.has(upstream)) upstream.setHealthy(true);
  }

  upstreams(): Upstream[] {
    return [...this.#upstreams.values()];
  }

  close(): void {
    for (const check of this.#checks.values()) clearInterval(check.timer);
    this.#checks.clear();
  }

  #upstream(url: string, spec: ValidRoute): Upstream {
    const key = `${url}|${spec.breaker.failures}|${spec.breaker.halfOpenAfterMs}`;
    let upstream = this.#upstreams.get(key);
    if (!upstream) {
      upstream = new Upstream(url, spec.breaker, this.events);
      this.#upstreams.set(key, upstream);
      this.events.onHealth(upstream, true);
      this.events.onBreakerState(upstream, 'closed');
    }
    return upstream;
  }

  async #probe(upstream: Upstream, path: string, timeoutMs: number): Promise<void> {
    try {
      const res = await request(`${upstream.url}${path}`, {
        dispatcher: this.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body.dump();
      upstream.setHealthy(res.statusCode >= 200 && res.statusCode < 300);
    } catch {
      upstream.setHealthy(false);
    }
  }
}
