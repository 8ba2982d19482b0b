import { describe, expect, it } from 'vitest';
import { interleave, median, throughputRatio } from './compare.js';
import type { Measurement } from './measure.js';

const m = (rps: number): Measurement => ({
  rps,
  p50: 1,
  p99: rps / 1000,
  errors: 0,
  non2xx: 0,
  total: rps * 5,
});

describe('interleave', () => {
  it('runs every candidate once per round, each round starting one later, and takes the medians', async () => {
    const order: string[] = [];
    const series: Record<string, Measurement[]> = {
      a: [m(100), m(120), m(110)],
      b: [m(80), m(100), m(90)],
      c: [m(10), m(30), m(20)],
    };
    const candidate = (label: string) => ({
      label,
      run: async (round: number) => (order.push(`${label}${round}`), series[label]!.shift()!),
    });
    const result = await interleave([candidate('a'), candidate('b'), candidate('c')], 3);
    expect(order).toEqual(['a0', 'b0', 'c0', 'b1', 'c1', 'a1', 'c2', 'a2', 'b2']);
    expect([...result.medians.keys()]).toEqual(['a', 'b', 'c']);
    expect(result.medians.get('a')?.rps).toBe(110);
    expect(result.medians.get('b')?.p99).toBe(0.09);
    expect(result.runs).toHaveLength(9);
    expect(throughputRatio(result.medians.get('b')!, result.medians.get('a')!)).toBeCloseTo(90 / 110);
  });

  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('answers 0 rather than Infinity against a baseline that served nothing', () => {
    expect(throughputRatio(m(10), m(0))).toBe(0);
  });
});
