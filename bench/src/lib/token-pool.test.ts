import { describe, expect, it } from 'vitest';
import { TokenPool } from './token-pool.js';

describe('TokenPool', () => {
  it('hands out the oldest token and keeps the refresh token of each 200 answer', () => {
    const pool = new TokenPool(['a', 'b']);
    expect(pool.take()).toBe('a');
    pool.returnFrom(200, JSON.stringify({ access_token: 'x', refresh_token: 'c' }));
    expect([pool.take(), pool.take()]).toEqual(['b', 'c']);
    expect(pool.size).toBe(0);
  });

  it('drops failed and unreadable answers, and counts requests that found it empty', () => {
    const pool = new TokenPool([]);
    pool.returnFrom(400, JSON.stringify({ refresh_token: 'never' }));
    pool.returnFrom(200, 'not json');
    expect(pool.take()).toBeUndefined();
    expect(pool.exhausted).toBe(1);
  });

  it('keeps its order across compactions', () => {
    const pool = new TokenPool(Array.from({ length: 5000 }, (_, i) => `t${i}`));
    for (let i = 0; i < 4097; i += 1) expect(pool.take()).toBe(`t${i}`);
    pool.returnFrom(200, '{"refresh_token":"new"}');
    expect(pool.size).toBe(5000 - 4097 + 1);
    expect(pool.take()).toBe('t4097');
  });
});
