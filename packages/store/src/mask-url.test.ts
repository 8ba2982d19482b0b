import { describe, expect, it } from 'vitest';
import { maskUrl } from './mask-url.js';

describe('maskUrl', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/rampart', 'postgres://app:****@db:5432/rampart'],
    [
      'postgresql://app:s3cret@db/rampart?sslmode=require',
      'postgresql://app:****@db/rampart?sslmode=require',
    ],
    ['redis://:s3cret@cache:6379/0', 'redis://:****@cache:6379/0'],
    ['rediss://user:s3cret@cache', 'rediss://user:****@cache'],
    // malformed URLs are the ones that reach error messages: a password with / or @ in it
    ['postgres://app:s3/cr@t@db/x', 'postgres://app:****@db/x'],
    ['postgres://db/x?user=app&password=s3cret', 'postgres://db/x?user=app&password=****'],
  ])('masks the password in %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });

  it.each([
    'postgres://app@db/x',
    'redis://cache:6379',
    'sqlite:.rampart/auth.db',
    'sqlite::memory:',
    'not a url',
  ])('leaves %s without a password alone', (url) => {
    expect(maskUrl(url)).toBe(url);
  });
});
