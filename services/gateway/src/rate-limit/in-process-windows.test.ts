import { describe, expect, it } from 'vitest';
import { createLimiterFactory, InProcessWindows, type LimitDecision } from './rate-limiter.js';

describe('InProcessWindows', () => {
  it('counts per key within a window, starts again after it, and sweeps keys that stopped coming', () => {
    let now = 1_000_000;
    const windows = new InProcessWindows(60);
    expect(windows.consume('a', now).consumed).toBe(1);
    expect(windows.consume('a', now).consumed).toBe(2);
    expect(windows.consume('b', now).consumed).toBe(1);
    now += 59_999;
    expect(windows.consume('a', now)).toEqual({ consumed: 3, resetAt: 1_060_000 });
    now += 1; // the window of `a` (and of `b`) is over
    expect(windows.consume('a', now)).toEqual({ consumed: 1, resetAt: 1_120_000 });
    expect(windows.size).toBe(1); // `b` expired and was swept
  });
});

describe('in-process route limiter', () => {
  it('decides synchronously, with the IETF headers, and refuses beyond the points until the window ends', () => {
    let now = 5_000;
    const limiter = createLimiterFactory({ now: () => now }).create('login', {
      key: 'ip',
      points: 2,
      durationSec: 10,
    });
    const decide = (key: string) => limiter.consume(key) as LimitDecision;
    expect(decide('ip:1')).toEqual({
      allowed: true,
      headers: { 'ratelimit-policy': '"login";q=2;w=10', ratelimit: '"login";r=1;t=10' },
    });
    now += 2_500;
    expect(decide('ip:1').headers.ratelimit).toBe('"login";r=0;t=8');
    expect(decide('ip:1')).toEqual({
      allowed: false,
      headers: { 'ratelimit-policy': '"login";q=2;w=10', ratelimit: '"login";r=0;t=8', 'retry-after': '8' },
    });
    expect(decide('ip:2').allowed).toBe(true); // another key, another budget
    now += 7_500;
    expect(decide('ip:1').allowed).toBe(true);
  });
});
