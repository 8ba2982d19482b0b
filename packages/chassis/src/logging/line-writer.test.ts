import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';
import { createInfoLineWriter } from './line-writer.js';
import { captureLogs } from '../test-support/log-capture.js';

describe('createInfoLineWriter', () => {
  it('writes the line pino would write for the same fields', () => {
    const logs = captureLogs();
    const logger = createLogger({ service: 'svc', version: '1.2.3', level: 'info', destination: logs });
    const fields = { request_id: 'r1', path: '/a', status: 200, ms: 1.25, ok: true, sub: null };
    const write = createInfoLineWriter(logger, ['request_id', 'path', 'status', 'ms', 'ok', 'sub']);
    logger.info(fields, 'access');
    write(fields, 'access');
    const [viaPino, direct] = logs.lines();
    expect(Object.keys(direct!)).toEqual(Object.keys(viaPino!));
    expect({ ...direct, time: 0 }).toEqual({ ...viaPino, time: 0 });
    expect(Date.parse(direct!.time as string)).toBeGreaterThan(Date.now() - 5000);
  });

  it('escapes control characters so a value cannot forge a second line', () => {
    const logs = captureLogs();
    const write = createInfoLineWriter(
      createLogger({ service: 's', version: '1', level: 'info', destination: logs }),
      ['path'],
    );
    write({ path: '/x\n{"level":"error","msg":"forged"}\u0000' }, 'access');
    expect(logs.raw.join('').trim().split('\n')).toHaveLength(1);
    expect(logs.lines()[0]!.path).toBe('/x\n{"level":"error","msg":"forged"}\u0000');
  });

  it('writes nothing below the level, null for non-finite numbers, and refuses odd field names', () => {
    const logs = captureLogs();
    const logger = createLogger({ service: 's', version: '1', level: 'warn', destination: logs });
    const write = createInfoLineWriter(logger, ['a', 'b']);
    write({ a: 1, b: 2 }, 'quiet');
    expect(logs.raw).toHaveLength(0);
    logger.level = 'info';
    write({ a: Number.NaN, b: Infinity }, 'loud');
    expect(logs.lines()[0]).toMatchObject({ a: null, b: null, msg: 'loud' });
    expect(() => createInfoLineWriter(logger, ['a"b'])).toThrow(/not a plain name/);
  });
});
