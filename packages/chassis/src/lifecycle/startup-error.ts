/** Why a service could not start; `exitCode` follows sysexits.h so supervisors can tell causes apart. */

/** EX_CONFIG: invalid configuration; restarting will not help. */
export const EXIT_CONFIG = 78;
/** EX_UNAVAILABLE: a resource (the port, a dependency) is not available; a restart may help. */
export const EXIT_UNAVAILABLE = 69;
/** EX_NOPERM: e.g. a privileged port without the capability. */
export const EXIT_NOPERM = 77;
/** EX_SOFTWARE: an internal error. */
export const EXIT_SOFTWARE = 70;

export class StartupError extends Error {
  readonly code = 'RAMPART_ERR_STARTUP' as const;
  readonly exitCode: number;

  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
    this.exitCode = exitCode;
  }
}

/** Turns a `listen()` failure into one line a person can act on. */
export function listenError(
  service: string,
  host: string,
  port: number,
  source: string,
  error: unknown,
): StartupError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port} (port from ${source})`;
  if (code === 'EADDRINUSE') {
    return new StartupError(
      `${service}: cannot listen on ${where}: the address is already in use`,
      EXIT_UNAVAILABLE,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new StartupError(`${service}: cannot listen on ${where}: permission denied`, EXIT_NOPERM, {
      cause: error,
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new StartupError(
      `${service}: cannot listen on ${where}: no such local address`,
      EXIT_UNAVAILABLE,
      { cause: error },
    );
  }
  return new StartupError(
    `${service}: cannot listen on ${where}: ${(error as Error).message}`,
    EXIT_UNAVAILABLE,
    { cause: error },
  );
}
