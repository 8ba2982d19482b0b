import { describe, expect, it } from 'vitest';
import type { Principal } from './principal.js';
import { VerifiedTokenCache } from './token-cache.js';

const principal = (sub: string, expiresAt = 2_000_000_000) => ({ sub, expiresAt }) as unknown as Principal;

describe('VerifiedTokenCache', () => {
  it('evicts the least recently used entry when full', () => {
    const cache = new VerifiedTokenCache(8);
    for (let i = 0; i < 8; i++) cache.set(`t${i}`, principal(`u${i}`), undefined);
    // t0 is used again after many newer entries: it moves to the recent end.
    expect(cache.get('t0', 0)?.sub).toBe('u0');
    cache.set('t8', principal('u8'), undefined);
    expect(cache.size).toBe(8);
    expect(cache.get('t1', 0)).toBeUndefined(); // the oldest unused one went
    expect(cache.get('t0', 0)?.sub).toBe('u0');
  });

  it('never returns an entry past its exp, and forgets it', () => {
    const cache = new VerifiedTokenCache(4);
    cache.set('t', principal('u', 100), undefined);
    expect(cache.get('t', 99)?.sub).toBe('u');
    expect(cache.get('t', 100)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the entries of removed signing keys', () => {
    const cache = new VerifiedTokenCache(4);
    cache.set('a', principal('u'), 'k1');
    cache.set('b', principal('v'), 'k2');
    cache.evictKids(['k1']);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)?.sub).toBe('v');
  });

  it('keeps nothing when its size is 0', () => {
    const cache = new VerifiedTokenCache(0);
    cache.set('a', principal('u'), undefined);
    expect(cache.size).toBe(0);
  });
});
