import { describe, expect, it } from 'vitest';
import { compare, median } from './compare.js';
import type { Measurement } from './measure.js';

const m = (rps: number): Measurement => ({ rps, p50: 1, p99: rps / 1000, errors: 0, non2xx: 0 });

describe('compare', () => {
  it('interleaves the sides and compares the medians', async () => {
    const order: string[] = [];
    const a = [m(100), m(120)];
    const b = [m(80), m(100)];
    const result = await compare(
      async () => (order.push('a'), a.shift()!),
      async () => (order.push('b'), b.shift()!),
    );
    expect(order).toEqual(['a', 'b', 'a', 'b']);
    expect(result.a.rps).toBe(110);
    expect(result.b.rps).toBe(90);
    expect(result.ratio).toBeCloseTo(90 / 110);
  });

  it('takes the middle value of an odd count', () => {
    expect(median([3, 1, 2])).toBe(2);
  });
});
