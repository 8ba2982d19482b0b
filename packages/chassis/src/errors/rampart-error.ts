/**
 * The base error of every Rampart package. `code` is a string-literal union so callers can
 * `switch` on it; `status` is the HTTP status it maps to; `expose` says whether `detail` may be
 * shown to the client (never for 5xx: those bodies must not leak internals).
 *
 * @example
 * throw new RampartError('RAMPART_ERR_NOT_FOUND', { detail: 'order 42 does not exist' });
 */
import { chassisErrors, type ChassisErrorCode } from './codes.js';

export interface ErrorDefinition {
  readonly status: number;
  readonly title: string;
}

export interface RampartErrorOptions {
  detail?: string | undefined;
  cause?: unknown;
  /** Extension members added to the problem document (RFC 9457 §3.2). */
  extensions?: Record<string, unknown> | undefined;
  /** Response headers that belong with this error (e.g. `Retry-After`). */
  headers?: Record<string, string> | undefined;
}

export class RampartError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly status: number;
  readonly title: string;
  readonly expose: boolean;
  readonly detail: string | undefined;
  readonly extensions: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: Code, definition: ErrorDefinition, options: RampartErrorOptions = {}) {
    super(options.detail ?? definition.title, { cause: options.cause });
    this.name = 'RampartError';
    this.code = code;
    this.status = definition.status;
    this.title = definition.title;
    this.expose = definition.status < 500;
    this.detail = options.detail;
    this.extensions = options.extensions;
    this.headers = options.headers;
  }
}

/**
 * Builds a typed factory for one package's error registry, so each package keeps its codes in
 * one file.
 *
 * @example
 * const authErrors = defineErrors({ AUTH_ERR_USER_EXISTS: { status: 409, title: 'User exists' } });
 * throw authErrors.create('AUTH_ERR_USER_EXISTS', { detail: 'alice already exists' });
 */
export function defineErrors<const R extends Record<string, ErrorDefinition>>(registry: R) {
  return {
    registry,
    create<C extends keyof R & string>(code: C, options?: RampartErrorOptions): RampartError<C> {
      return new RampartError(code, registry[code] as ErrorDefinition, options);
    },
  };
}

const chassis = defineErrors(chassisErrors);

/**
 * Creates one of the chassis' own errors.
 *
 * @example
 * throw rampartError('RAMPART_ERR_CONFLICT', { detail: 'version 3 is not the latest' });
 */
export function rampartError(
  code: ChassisErrorCode,
  options?: RampartErrorOptions,
): RampartError<ChassisErrorCode> {
  return chassis.create(code, options);
}
