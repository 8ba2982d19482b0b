import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceDefinition } from '../services.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { LineFormatter, StreamName } from './log-lines.js';
import { probeReady } from './probe-ready.js';

/** sysexits(3): the chassis exits with these codes; rampart reads them. */
export const EX_UNAVAILABLE = 69;
export const EX_CONFIG = 78;

export type NoticeLevel = 'info' | 'warn' | 'error';

export interface SupervisorOptions {
  readonly services: readonly ServiceDefinition[];
  /** Environment every child gets; the supervisor adds `PORT`. */
  readonly env: NodeJS.ProcessEnv;
  /** Formats one line a child printed. */
  readonly formatLine: LineFormatter;
  /** Writes formatted child output. */
  readonly writeLog: (text: string) => void;
  /** rampart's own messages ("rampart: ready — …"). */
  readonly notice: (message: string, level: NoticeLevel) => void;
  readonly backoff?: BackoffPolicy;
  /** How long children get to drain after SIGTERM before SIGKILL. */
  readonly gracePeriodMs?: number;
  readonly readinessIntervalMs?: number;
  readonly readinessTimeoutMs?: number;
}

interface ServiceState {
  readonly def: ServiceDefinition;
  child: ChildProcess | undefined;
  startedAt: number;
  /** Consecutive crashes since the last run that lasted `resetAfterMs`. */
  attempt: number;
  restartTimer: NodeJS.Timeout | undefined;
  ready: boolean;
  /** Exited with EX_CONFIG: restarting cannot help. */
  invalid: boolean;
}

/**
 * Runs each service as its own child process, restarts the ones that crash (with exponential
 * backoff), reports when all of them are ready and stops them all gracefully.
 *
 * ```ts
 * const supervisor = new Supervisor({ services, env, formatLine, writeLog, notice });
 * supervisor.start();
 * process.once('SIGTERM', () => void supervisor.stop());
 * process.exitCode = await supervisor.done;
 * ```
 */
export class Supervisor {
  /** Resolves the first time every service answers `/health/ready` with 200. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code rampart should end with: 0 after `stop()`, 78 if no service can run. */
  readonly done: Promise<number>;

  readonly #options: SupervisorOptions;
  readonly #backoff: BackoffPolicy;
  readonly #states: ServiceState[];
  #announced = false;
  #stopping = false;
  #resolveReady!: () => void;
  #resolveDone!: (code: number) => void;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#states = options.services.map((def) => ({
      def,
      child: undefined,
      startedAt: 0,
      attempt: 0,
      restartTimer: undefined,
      ready: false,
      invalid: false,
    }));
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  start(): void {
    for (const state of this.#states) this.#spawn(state);
  }

  /**
   * Sends SIGTERM to every child and waits for all of them to exit (SIGKILL after the grace
   * period). Calling it again while stopping kills the children immediately.
   */
  async stop(): Promise<void> {
    if (this.#stopping) {
      this.kill();
      return;
    }
    this.#stopping = true;
    const running = this.#states.flatMap((state) => {
      clearTimeout(state.restartTimer);
      return state.child === undefined ? [] : [state.child];
    });
    const exited = Promise.all(running.map(waitForExit));
    for (const child of running) child.kill('SIGTERM');
    const grace = setTimeout(() => {
      this.#options.notice('rampart: services did not stop in time; killing them', 'warn');
      this.kill();
    }, this.#options.gracePeriodMs ?? 30_000);
    await exited;
    clearTimeout(grace);
    this.#options.notice('rampart: stopped', 'info');
    this.#resolveDone(0);
  }

  /** SIGKILL to every child's process group, synchronously (safe in a `process.on('exit')` handler). */
  kill(): void {
    for (const { child } of this.#states) {
      if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
      try {
        // Children are process-group leaders (`detached`), so this reaches anything they started.
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
  }

  #spawn(state: ServiceState): void {
    const { name, port, entry } = state.def;
    const child = spawn(process.execPath, [entry], {
      env: { ...this.#options.env, ...state.def.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: Ctrl-C reaches rampart only, which stops the children in order.
      detached: true,
    });
    state.child = child;
    state.startedAt = Date.now();
    state.ready = false;
    this.#pipeLines(name, 'stdout', child.stdout);
    this.#pipeLines(name, 'stderr', child.stderr);
    child.on('error', (error) => this.#options.notice(`rampart: ${name}: ${error.message}`, 'error'));
    // 'close' comes after the child's last output line, so "see above" messages read in order.
    child.once('close', (code, signal) => this.#onExit(state, code, signal));
    void this.#waitUntilReady(state, child);
  }

  #pipeLines(name: string, stream: StreamName, input: NodeJS.ReadableStream | null): void {
    if (input === null) return;
    const lines = createInterface({ input, crlfDelay: Infinity });
    lines.on('line', (line) => this.#options.writeLog(this.#options.formatLine(name, stream, line)));
  }

  #onExit(state: ServiceState, code: number | null, signal: NodeJS.Signals | null): void {
    state.child = undefined;
    state.ready = false;
    if (this.#stopping) return;
    const { name, port } = state.def;
    if (code === EX_CONFIG) {
      state.invalid = true;
      this.#options.notice(
        `rampart: ${name} has an invalid configuration (see above); not restarting`,
        'error',
      );
      if (this.#states.every((s) => s.invalid)) this.#resolveDone(EX_CONFIG);
      return;
    }
    if (Date.now() - state.startedAt >= this.#backoff.resetAfterMs) state.attempt = 0;
    const delay = backoffDelay(this.#backoff, state.attempt);
    state.attempt += 1;
    const how = code === null ? `signal ${signal}` : `code ${code}`;
    const hint = code === EX_UNAVAILABLE ? ` (is port ${port} already in use?)` : '';
    this.#options.notice(`rampart: ${name} exited with ${how}${hint}; restarting in ${delay} ms`, 'warn');
    state.restartTimer = setTimeout(() => this.#spawn(state), delay);
  }

  async #waitUntilReady(state: ServiceState, child: ChildProcess): Promise<void> {
    const { readinessIntervalMs = 200, readinessTimeoutMs = 1000 } = this.#options;
    while (state.child === child && !this.#stopping) {
      if (await probeReady(state.def.port, readinessTimeoutMs, state.def.probeTls, state.def.readyPath)) {
        if (state.child === child && !this.#stopping) this.#onReady(state);
        return;
      }
      await sleep(readinessIntervalMs);
    }
  }

  #onReady(state: ServiceState): void {
    state.ready = true;
    if (this.#announced) {
      this.#options.notice(`rampart: ${state.def.name} is ready again`, 'info');
      return;
    }
    if (!this.#states.every((s) => s.ready)) return;
    this.#announced = true;
    const count = this.#states.length;
    this.#options.notice(
      `rampart: ready — all ${count} ${count === 1 ? 'service is' : 'services are'} healthy`,
      'info',
    );
    this.#resolveReady();
  }
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('close', () => resolve()));
}
