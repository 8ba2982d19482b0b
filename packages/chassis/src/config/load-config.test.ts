import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const schema = Type.Object({
  databaseUrl: Type.String({ env: ['DATABASE_URL'], default: 'sqlite:.rampart/x.db' }),
  apiKey: Type.String({ secret: true, minLength: 12 }),
  limits: Type.Object({
    maxItems: Type.Integer({ minimum: 1, default: 10 }),
    enabled: Type.Boolean({ default: false }),
  }),
  tags: Type.Array(Type.String(), { default: [] }),
});

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-config-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function load(env: Record<string, string>, argv: string[] = []) {
  return loadConfig({ service: 'orders', schema, defaultPort: 8091, env, argv });
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

const KEY = { RAMPART_ORDERS_API_KEY: 'k-0123456789abcdef' };

describe('loadConfig precedence: defaults < file < env < flags', () => {
  it('uses schema defaults and the service default port', () => {
    const { config, entries } = load(KEY);
    expect(config.port).toBe(8091);
    expect(config.limits.maxItems).toBe(10);
    expect(config.logLevel).toBe('info');
    expect(entries.find((e) => e.key === 'port')?.source).toBe('default');
  });

  it('layers file, then env, then flags, and records each source', () => {
    const yaml = file('a.yaml', 'port: 9000\nlimits:\n  maxItems: 20\n  enabled: true\ntags: [a, b]\n');
    const { config, entries } = load(
      { ...KEY, RAMPART_CONFIG: yaml, RAMPART_ORDERS_LIMITS_MAX_ITEMS: '30' },
      ['--limits.max-items', '40'],
    );
    expect(config.port).toBe(9000);
    expect(config.limits.enabled).toBe(true);
    expect(config.tags).toEqual(['a', 'b']);
    expect(config.limits.maxItems).toBe(40);
    const source = (key: string) => entries.find((e) => e.key === key)?.source;
    expect(source('port')).toBe(`file ${yaml}`);
    expect(source('limits.maxItems')).toBe('flag --limits.max-items');
    expect(
      load({ ...KEY, RAMPART_CONFIG: yaml, RAMPART_ORDERS_LIMITS_MAX_ITEMS: '30' }).config.limits.maxItems,
    ).toBe(30);
  });

  it('--config overrides RAMPART_CONFIG', () => {
    const a = file('b1.yaml', 'port: 1111\n');
    const b = file('b2.yaml', 'port: 2222\n');
    expect(load({ ...KEY, RAMPART_CONFIG: a }, ['--config', b]).config.port).toBe(2222);
  });

  it('well-known names < RAMPART_<KEY> < RAMPART_<SERVICE>_<KEY>', () => {
    expect(load({ ...KEY, PORT: '1' }).config.port).toBe(1);
    expect(load({ ...KEY, PORT: '1', RAMPART_PORT: '2' }).config.port).toBe(2);
    expect(load({ ...KEY, PORT: '1', RAMPART_PORT: '2', RAMPART_ORDERS_PORT: '3' }).config.port).toBe(3);
    expect(load({ ...KEY, DATABASE_URL: 'postgres://db/x' }).config.databaseUrl).toBe('postgres://db/x');
  });

  it('converts env text by schema type: booleans, integers, comma lists, JSON arrays', () => {
    const { config } = load({ ...KEY, RAMPART_ORDERS_LIMITS_ENABLED: 'true', RAMPART_ORDERS_TAGS: 'x, y' });
    expect(config.limits.enabled).toBe(true);
    expect(config.tags).toEqual(['x', 'y']);
    expect(load({ ...KEY, RAMPART_ORDERS_TAGS: '["p","q"]' }).config.tags).toEqual(['p', 'q']);
    expect(load(KEY, ['--limits.enabled']).config.limits.enabled).toBe(true);
  });

  it('reads <NAME>_FILE secrets without the trailing newline', () => {
    const secret = file('api-key', 'from-a-file-0123456789\n');
    const { config, entries } = load({ RAMPART_ORDERS_API_KEY_FILE: secret });
    expect(config.apiKey).toBe('from-a-file-0123456789');
    const entry = entries.find((e) => e.key === 'apiKey');
    expect(entry?.value).toBe('****');
    expect(entry?.source).toContain('RAMPART_ORDERS_API_KEY_FILE');
  });

  it('returns a deeply frozen object', () => {
    const { config } = load(KEY);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
  });
});

describe('loadConfig problems: one line each, naming key, source, value and expectation', () => {
  it('reports a bad value with its source', () => {
    const lines = problemsOf(() => load({ ...KEY, RAMPART_ORDERS_PORT: 'eighty' }));
    expect(lines).toEqual([
      expect.stringMatching(
        /^orders: invalid configuration: port = "eighty" \(from env RAMPART_ORDERS_PORT\): expected integer/,
      ),
    ]);
  });

  it('masks secret values in errors', () => {
    const lines = problemsOf(() => load({ RAMPART_ORDERS_API_KEY: 'short' }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('apiKey = ****');
    expect(lines[0]).not.toContain('short');
  });

  it('masks passwords inside connection URLs', () => {
    const { entries } = load({ ...KEY, DATABASE_URL: 'postgres://app:hunter2@db:5432/x' });
    expect(entries.find((e) => e.key === 'databaseUrl')?.value).toBe('"postgres://app:****@db:5432/x"');
  });

  it('names a missing required key and where it can be set', () => {
    const lines = problemsOf(() => load({}));
    expect(lines).toEqual([
      expect.stringContaining('apiKey = (missing) (from nowhere): required: set RAMPART_ORDERS_API_KEY'),
    ]);
  });

  it('reports a missing secret file', () => {
    const lines = problemsOf(() => load({ RAMPART_ORDERS_API_KEY_FILE: '/nonexistent/key' }));
    expect(lines[0]).toContain(
      'apiKey = /nonexistent/key (from env RAMPART_ORDERS_API_KEY_FILE): a readable secret file (no such file)',
    );
  });

  it('rejects unknown keys in the file (typos) and unknown flags', () => {
    const yaml = file('typo.yaml', 'prot: 80\nlimits:\n  maxItem: 3\n');
    const lines = problemsOf(() => load({ ...KEY, RAMPART_CONFIG: yaml }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`prot = 80 (from file ${yaml}): a known configuration key`);
    expect(lines[1]).toContain('limits.maxItem = 3');
    expect(problemsOf(() => load(KEY, ['--prot', '1']))[0]).toContain('from flag --prot');
  });

  it('reports an unreadable or invalid config file', () => {
    expect(problemsOf(() => load({ ...KEY, RAMPART_CONFIG: '/nonexistent.yaml' }))[0]).toContain(
      'a readable YAML file (no such file)',
    );
    const bad = file('bad.yaml', 'port: [1\n');
    expect(problemsOf(() => load({ ...KEY, RAMPART_CONFIG: bad }))[0]).toContain('valid YAML');
  });

  it('reports every problem at once, and each names its own source', () => {
    const lines = problemsOf(() =>
      load({ ...KEY, RAMPART_ORDERS_PORT: '70000', LOG_LEVEL: 'loud' }, ['--limits.max-items', '0']),
    );
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toMatch(
      /port = 70000 \(from env RAMPART_ORDERS_PORT\): expected integer to be less or equal to 65535/,
    );
    expect(lines.join('\n')).toMatch(/logLevel = "loud" \(from env LOG_LEVEL\).*one of fatal, error/);
    expect(lines.join('\n')).toMatch(/limits.maxItems = 0 \(from flag --limits.max-items\)/);
  });
});
