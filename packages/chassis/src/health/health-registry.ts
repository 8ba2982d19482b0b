/**
 * Health checks in the shape of draft-inadarei-api-health-check ("Health Check Response Format
 * for HTTP APIs"): `status` pass/warn/fail, `checks` keyed `component:measurement`, each an
 * array of `{ componentType, observedValue, observedUnit, status, time, output }`.
 *
 * Liveness checks nothing outside the process (a database blip must not restart every replica);
 * readiness runs the registered dependency checks, each under its own timeout, and fails while
 * the service starts and as soon as shutdown begins.
 */

export type HealthStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  status?: HealthStatus;
  observedValue?: unknown;
  observedUnit?: string;
  output?: string;
}

export interface HealthCheck {
  /** Component name, e.g. `database`. */
  component: string;
  /** Measurement, e.g. `responseTime` (the key becomes `database:responseTime`). */
  measurement?: string;
  /** e.g. `datastore`, `component`, `system`. */
  componentType?: string;
  /** A failing critical check fails readiness; a failing non-critical one only warns. */
  critical?: boolean;
  /** Defaults to 2000 ms. A check that takes longer fails with output "timed out after …". */
  timeoutMs?: number;
  /** Throw (or return `status: 'fail'`) when unhealthy. */
  check: () => Promise<CheckResult | void> | CheckResult | void;
}

export interface CheckDetail {
  componentType: string;
  observedValue?: unknown;
  observedUnit?: string;
  status: HealthStatus;
  time: string;
  output?: string;
}

export interface HealthReport {
  status: HealthStatus;
  version?: string;
  serviceId?: string;
  description?: string;
  output?: string;
  checks: Record<string, CheckDetail[]>;
}

export type Lifecycle = 'starting' | 'ready' | 'draining' | 'stopped';

export class HealthRegistry {
  #checks: HealthCheck[] = [];
  #state: Lifecycle = 'starting';
  readonly #startedAt = Date.now();
  readonly #service: string;
  readonly #version: string;

  constructor(service: string, version: string) {
    this.#service = service;
    this.#version = version;
  }

  /**
   * Registers a readiness check.
   *
   * @example
   * app.health.register({ component: 'database', measurement: 'responseTime',
   *   componentType: 'datastore', check: () => db.ping() });
   */
  register(check: HealthCheck): void {
    if (this.#checks.some((c) => key(c) === key(check)))
      throw new Error(`health check ${key(check)} is already registered`);
    this.#checks.push(check);
  }

  get state(): Lifecycle {
    return this.#state;
  }

  /** @internal lifecycle transitions are driven by the service's start and shutdown. */
  setState(state: Lifecycle): void {
    this.#state = state;
  }

  liveness(): HealthReport {
    return {
      status: 'pass',
      ...this.#identity(),
      checks: {
        uptime: [
          {
            componentType: 'system',
            observedValue: Math.round((Date.now() - this.#startedAt) / 1000),
            observedUnit: 's',
            status: 'pass',
            time: new Date().toISOString(),
          },
        ],
      },
    };
  }

  async readiness(): Promise<HealthReport> {
    if (this.#state !== 'ready') {
      const output = this.#state === 'starting' ? 'starting' : 'shutting down';
      return { status: 'fail', ...this.#identity(), output, checks: {} };
    }
    const results = await Promise.all(this.#checks.map((c) => runCheck(c)));
    const checks: Record<string, CheckDetail[]> = {};
    let status: HealthStatus = 'pass';
    this.#checks.forEach((c, index) => {
      const detail = results[index] as CheckDetail;
      checks[key(c)] = [detail];
      if (detail.status === 'fail') status = c.critical === false ? worst(status, 'warn') : 'fail';
      else if (detail.status === 'warn') status = worst(status, 'warn');
    });
    // Shutdown may have begun while the checks ran.
    if (this.#state !== 'ready')
      return { status: 'fail', ...this.#identity(), output: 'shutting down', checks };
    return { status, ...this.#identity(), checks };
  }

  async full(): Promise<HealthReport> {
    const ready = await this.readiness();
    return { ...ready, checks: { ...this.liveness().checks, ...ready.checks } };
  }

  #identity(): Pick<HealthReport, 'version' | 'serviceId' | 'description'> {
    return { version: this.#version, serviceId: this.#service, description: `${this.#service} service` };
  }
}

function key(check: HealthCheck): string {
  return check.measurement ? `${check.component}:${check.measurement}` : check.component;
}

function worst(a: HealthStatus, b: HealthStatus): HealthStatus {
  const order: HealthStatus[] = ['pass', 'warn', 'fail'];
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}

async function runCheck(check: HealthCheck): Promise<CheckDetail> {
  const timeoutMs = check.timeoutMs ?? 2000;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const base = { componentType: check.componentType ?? 'component', time: new Date().toISOString() };
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CheckTimeout(timeoutMs)), timeoutMs);
    });
    const result = (await Promise.race([Promise.resolve().then(check.check), timeout])) ?? {};
    const elapsed = Math.round((performance.now() - started) * 100) / 100;
    const detail: CheckDetail = { ...base, status: result.status ?? 'pass' };
    if (result.observedValue !== undefined) {
      detail.observedValue = result.observedValue;
      if (result.observedUnit) detail.observedUnit = result.observedUnit;
    } else {
      detail.observedValue = elapsed;
      detail.observedUnit = 'ms';
    }
    if (result.output) detail.output = result.output;
    return detail;
  } catch (error) {
    const elapsed = Math.round((performance.now() - started) * 100) / 100;
    // Only the message: health output is unauthenticated and must not leak stack traces.
    return {
      ...base,
      status: 'fail',
      observedValue: elapsed,
      observedUnit: 'ms',
      output: (error as Error).message || String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

class CheckTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}
