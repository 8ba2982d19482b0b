/**
 * The service logger: pino JSON lines with `time` (ISO-8601), `level` (name), `msg`,
 * `service.name`, `service.version`; request lines add `request_id`. JSON string escaping keeps
 * control characters in logged values from forging lines.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactDeep } from './redact.js';

export interface CreateLoggerOptions {
  service: string;
  version: string;
  level: string;
  /** Defaults to stdout. Tests pass a stream to read lines back. */
  destination?: DestinationStream | undefined;
}

/** Lines are written in batches of this size, or at least every FLUSH_INTERVAL_MS. */
const BATCH_BYTES = 4096;
const FLUSH_INTERVAL_MS = 100;

/**
 * stdout through a buffer: one syscall per ~4 KiB of lines instead of one per line (the
 * single largest per-request cost otherwise), flushed at least every 100 ms so a quiet service's
 * lines still appear at once, and synchronously at exit.
 */
function bufferedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // A flush while a write is in flight is retried on the next tick of the interval.
    }
  }, FLUSH_INTERVAL_MS).unref();
  return destination;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { 'service.name': options.service, 'service.version': options.version },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactDeep(object) as Record<string, unknown>,
      },
    },
    options.destination ?? bufferedStdout(),
  );
}
