import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePath } from './normalize-path.js';

const ok = (target: string) => {
  const result = normalizePath(target);
  if (!result.ok) throw new Error(`${target} rejected: ${result.reason}`);
  return result.path;
};
const reason = (target: string) => {
  const result = normalizePath(target);
  return result.ok ? `accepted as ${result.path}` : result.reason;
};

describe('normalizePath', () => {
  it('canonicalises equivalent spellings', () => {
    expect(ok('/')).toBe('/');
    expect(ok('/%61dmin')).toBe('/admin');
    expect(ok('//admin')).toBe('/admin');
    expect(ok('/./admin')).toBe('/admin');
    expect(ok('/public/../admin')).toBe('/admin');
    expect(ok('/a//b///c/')).toBe('/a/b/c/');
    expect(ok('/a/b/..')).toBe('/a/');
    expect(ok('/a/%7e%2D')).toBe('/a/~-');
    expect(ok('/a/%c3%a9')).toBe('/a/%C3%A9');
    expect(ok('/ADMIN')).toBe('/ADMIN'); // paths are case-sensitive: no route matches it
    expect(normalizePath('/a?x=%2f&y=..')).toEqual({ ok: true, path: '/a', query: '?x=%2f&y=..' });
  });

  it('rejects ambiguous forms', () => {
    expect(reason('/%2561dmin')).toBe('invalid_encoding');
    expect(reason('/admin%2f')).toBe('encoded_separator');
    expect(reason('/admin%2F..')).toBe('encoded_separator');
    expect(reason('/admin%5c')).toBe('encoded_separator');
    expect(reason('/public/%2e%2e/admin')).toBe('encoded_dot_segment');
    expect(reason('/public/.%2E/admin')).toBe('encoded_dot_segment');
    expect(reason('/public/%2e/admin')).toBe('encoded_dot_segment');
    expect(reason('/admin;x')).toBe('path_parameter');
    expect(reason('/admin..;/')).toBe('path_parameter');
    expect(reason('/admin%3b')).toBe('path_parameter');
    expect(reason('/public\\..\\admin')).toBe('backslash');
    expect(reason('/admin%00')).toBe('control_character');
    expect(reason('/admin\u0000')).toBe('control_character');
    expect(reason('/a%zz')).toBe('invalid_encoding');
    expect(reason('/a%4')).toBe('invalid_encoding');
    expect(reason('/..')).toBe('escapes_root');
    expect(reason('/a/../../etc')).toBe('escapes_root');
    expect(reason('http://evil/admin')).toBe('not_origin_form');
    expect(reason('*')).toBe('not_origin_form');
    expect(reason('/' + 'a'.repeat(9000))).toBe('too_long');
  });

  const pathChar = fc.constantFrom(
    ..."abcAZ09-._~!$&'()*+,=:@/".split(''),
    '%2e',
    '%2E',
    '%2f',
    '%41',
    '%7e',
    '%25',
    '%c3',
    '%00',
    ';',
    '\\',
    '..',
    '.',
    '//',
    '%',
  );
  const target = fc.array(pathChar, { maxLength: 30 }).map((parts) => `/${parts.join('')}`);

  it('is idempotent and never yields dot segments, double slashes or encoded separators', () => {
    fc.assert(
      fc.property(target, (t) => {
        const first = normalizePath(t);
        if (!first.ok) return;
        const again = normalizePath(first.path);
        expect(again).toEqual({ ok: true, path: first.path, query: '' });
        expect(first.path.startsWith('/')).toBe(true);
        expect(first.path).not.toContain('//');
        expect(first.path.split('/')).not.toContain('..');
        expect(first.path.split('/')).not.toContain('.');
        expect(first.path.toLowerCase()).not.toContain('%2f');
        expect(first.path.toLowerCase()).not.toContain('%5c');
        expect(first.path).not.toContain('\\');
      }),
      { numRuns: 2000 },
    );
  });
});
