/** Collects a service's log lines in memory so tests can assert on what was logged. */
import type { DestinationStream } from 'pino';

export interface LogCapture extends DestinationStream {
  raw: string[];
  lines: () => Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const raw: string[] = [];
  return {
    raw,
    write(chunk: string) {
      raw.push(chunk);
    },
    lines: () =>
      raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
