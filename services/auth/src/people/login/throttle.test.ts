import { describe, expect, it } from 'vitest';
import { openSharedState } from '@rampart/store';
import { ACCOUNT_POLICY, IP_POLICY, LoginThrottle, delayFor } from './throttle.js';

describe('login throttling', () => {
  it('grows the delay exponentially past the free budget, up to a cap (never a lock-out)', () => {
    expect([5, 6, 7, 8, 9, 10, 11, 50].map((n) => delayFor(n, ACCOUNT_POLICY))).toEqual([
      0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
    expect(delayFor(20, IP_POLICY)).toBe(0);
    expect(delayFor(1000, IP_POLICY)).toBe(60_000);
  });

  it('throttles an IP that tries many accounts, and lets only one concurrent attempt through a delay', async () => {
    const shared = await openSharedState({ url: undefined, prefix: 'test' });
    const throttle = new LoginThrottle(shared);
    for (let i = 0; i < 20; i++) {
      expect(await throttle.check(`user${i}`, '192.0.2.1')).toEqual({ allowed: true });
      await throttle.failed(`user${i}`, '192.0.2.1');
    }
    // The 21st account from the same IP takes the IP's gate; concurrent ones are refused.
    const results = await Promise.all([1, 2, 3].map((i) => throttle.check(`other${i}`, '192.0.2.1')));
    expect(results.filter((r) => r.allowed)).toHaveLength(1);
    // Another IP is not affected.
    expect(await throttle.check('other9', '198.51.100.7')).toEqual({ allowed: true });
    await shared.close();
  });
});
