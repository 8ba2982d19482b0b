import { prettyFactory } from 'pino-pretty';

/** Which of a child's streams a line came from. */
export type StreamName = 'stdout' | 'stderr';

/** Turns one line a child printed into the text rampart writes (ending in "\n"). */
export type LineFormatter = (service: string, stream: StreamName, line: string) => string;

// C0 controls except TAB, DEL and the C1 controls (U+0080–U+009F: U+009B is a one-byte CSI),
// plus the Unicode line and paragraph separators, which some terminals and log viewers break on.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

function escapeChar(char: string): string {
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    default:
      return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/**
 * Escapes control characters so a logged value cannot start a forged line or send an ANSI
 * escape sequence to the terminal. `keepNewlines` is for stack traces, which pino-pretty prints
 * indented on their own lines (and rampart prefixes every line with the service name).
 */
export function escapeControl(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? CONTROL_BUT_NEWLINE : CONTROL, escapeChar);
}

/** Escapes every string (keys included) inside a parsed JSON value. */
export function escapeStrings(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return escapeControl(value, key === 'stack');
  if (Array.isArray(value)) return value.map((item) => escapeStrings(item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[escapeControl(k)] = escapeStrings(v, k);
    return out;
  }
  return value;
}

/** The line as a JSON object, or undefined when it is not one (plain text, a number, an array). */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Non-TTY output: one JSON object per line, so whatever reads rampart's stdout (a log shipper, `jq`,
 * a test) can parse every line. JSON lines from a service already carry `service.name` and pass
 * through byte for byte; anything else is wrapped.
 */
export function jsonLineFormatter(now: () => Date = () => new Date()): LineFormatter {
  return (service, stream, line) => {
    if (parseJsonObject(line) !== undefined) return `${line.trim()}\n`;
    // JSON.stringify escapes every control character, so the wrapped record stays on one line.
    return `${JSON.stringify({
      time: now().toISOString(),
      level: stream === 'stderr' ? 'error' : 'info',
      'service.name': service,
      msg: line,
    })}\n`;
  };
}

/**
 * TTY output: JSON lines pretty-printed in colour (pino-pretty), every output line prefixed with the
 * service name padded to the longest name, so interleaved services stay readable.
 */
export function prettyLineFormatter(serviceNames: readonly string[], colorize = true): LineFormatter {
  const width = Math.max(0, ...serviceNames.map((name) => name.length));
  const pretty = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    // The prefix already names the service; pino-pretty reads a backslash-escaped dot as part of a key.
    ignore: 'pid,hostname,service\\.name,service\\.version',
  });
  return (service, _stream, line) => {
    const record = parseJsonObject(line);
    const text = record === undefined ? `${escapeControl(line)}\n` : pretty(escapeStrings(record));
    const prefix = `${service.padEnd(width)} | `;
    return text
      .replace(/\n$/, '')
      .split('\n')
      .map((part) => prefix + part)
      .join('\n')
      .concat('\n');
  };
}
