/**
 * The service logger: pino JSON lines with `time` (ISO-8601), `level` (name), `msg`,
 * `service.name`, `service.version`; request lines add `request_id`. JSON string escaping keeps
 * control characters in logged values from forging lines.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { batchedStdout } from './batched-output.js';
import { redactDeep } from './redact.js';

export interface CreateLoggerOptions {
  service: string;
  version: string;
  level: string;
  /** Defaults to stdout. Tests pass a stream to read lines back. */
  destination?: DestinationStream | undefined;
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
    options.destination ?? batchedStdout(),
  );
}
