import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl, jsonLineFormatter, prettyLineFormatter } from './log-lines.js';

const fixedNow = () => new Date('2025-01-01T00:00:00.000Z');

describe('jsonLineFormatter', () => {
  const format = jsonLineFormatter(fixedNow);

  it('passes a JSON log line through unchanged', () => {
    const line = '{"level":"info","service.name":"hello","msg":"hi \\n there"}';
    expect(format('hello', 'stdout', line)).toBe(`${line}\n`);
  });

  it('wraps a plain line as a JSON record', () => {
    expect(JSON.parse(format('hello', 'stdout', 'listening on 8090'))).toEqual({
      time: '2025-01-01T00:00:00.000Z',
      level: 'info',
      'service.name': 'hello',
      msg: 'listening on 8090',
    });
    expect(JSON.parse(format('hello', 'stderr', 'Error: boom')).level).toBe('error');
  });

  it('wraps JSON that is not an object', () => {
    expect(JSON.parse(format('hello', 'stdout', '[1,2]')).msg).toBe('[1,2]');
  });

  it('always yields exactly one JSON object on one line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        // A line never contains the separators the line reader splits on.
        const line = raw.replace(/[\r\n]/g, '');
        const out = format('hello', 'stdout', line);
        expect(out.endsWith('\n')).toBe(true);
        expect(out.slice(0, -1)).not.toMatch(/[\r\n]/);
        const parsed: unknown = JSON.parse(out);
        expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
      }),
    );
  });
});

describe('prettyLineFormatter', () => {
  it('prefixes every line with the padded service name', () => {
    const format = prettyLineFormatter(['hello', 'gateway'], false);
    const out = format('hello', 'stdout', '{"time":0,"level":"info","msg":"hi","extra":{"a":1}}');
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.startsWith('hello   | ')).toBe(true);
    expect(lines[0]).toContain('INFO');
    expect(lines[0]).toContain('hi');
  });

  it('escapes control characters so a value cannot forge a line or an ANSI escape', () => {
    const format = prettyLineFormatter(['hello'], true);
    const forged = JSON.stringify({
      level: 'info',
      msg: 'user said \n[12:00:00.000] INFO: forged\u001b[2J',
      who: 'x\ry\u009b31m',
    });
    const out = format('hello', 'stdout', forged);
    expect(out).not.toContain('\u001b[2J');
    expect(out).not.toContain('\r');
    expect(out).not.toContain('\u009b');
    expect(out).toContain('\\n[12:00:00.000] INFO: forged\\u001b[2J');
    for (const line of out.trimEnd().split('\n')) expect(line.startsWith('hello | ')).toBe(true);
  });

  it('escapes control characters in plain lines too', () => {
    const format = prettyLineFormatter(['hello'], true);
    expect(format('hello', 'stderr', 'bad\u001b[31m')).toBe('hello | bad\\u001b[31m\n');
  });

  it('never lets a string value add a line or a control character', () => {
    const format = prettyLineFormatter(['svc'], false);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (msg, value) => {
        const out = format('svc', 'stdout', JSON.stringify({ level: 'info', time: 0, msg, value }));
        // One line for the message, one for `value` (pino-pretty prints extra keys below).
        expect(out.trimEnd().split('\n')).toHaveLength(2);
        // eslint-disable-next-line no-control-regex
        expect(out.trimEnd()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
      }),
    );
  });
});

describe('escapeControl', () => {
  it('keeps newlines only when asked (stack traces)', () => {
    expect(escapeControl('a\nb\u0007')).toBe('a\\nb\\u0007');
    expect(escapeControl('a\nb\u0007', true)).toBe('a\nb\\u0007');
  });
});
