/**
 * A request logger that creates its pino child only when a line is actually written at an
 * enabled level. Most requests of a healthy service log nothing (the access log is off by
 * default), and a pino child per request was a measurable share of the chassis' overhead.
 */
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** How the real child is made: pino's own `child`, called on the parent. */
export type ChildFactory = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;

export class LazyChildLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions | undefined;
  readonly #makeChild: ChildFactory;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings, options?: ChildLoggerOptions, makeChild?: ChildFactory) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the parent as `this`
    this.#makeChild = makeChild ?? parent.child;
  }

  get #real(): Logger {
    return (this.#child ??= this.#makeChild.call(this.#parent, this.#bindings, this.#options));
  }

  get level(): string {
    return this.#child?.level ?? this.#options?.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    if (this.#child) return this.#child.isLevelEnabled(level);
    const values = this.#parent.levels.values;
    return (values[level] ?? 0) >= (values[this.level] ?? Infinity);
  }

  #log(method: Method, args: unknown[]): void {
    if (!this.isLevelEnabled(method)) return;
    const real = this.#real;
    Reflect.apply(real[method], real, args);
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.#real.child(bindings, options);
  }

  bindings(): Bindings {
    return { ...this.#parent.bindings(), ...this.#bindings };
  }

  flush(): void {
    this.#parent.flush();
  }
}
