import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from 250 ms and stops at 30 s', () => {
    const delays = Array.from({ length: 10 }, (_, attempt) => backoffDelay(DEFAULT_BACKOFF, attempt));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('stays finite however many times a service crashed', () => {
    expect(backoffDelay(DEFAULT_BACKOFF, 5000)).toBe(30_000);
  });
});
