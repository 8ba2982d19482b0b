/**
 * Login throttling per account and per IP (ASVS V6.3.1, OWASP Authentication Cheat Sheet): after
 * a free budget of failures, each further attempt must wait an exponentially growing delay, capped
 * — a slow-down, never a lock-out an attacker could use to keep a person out for good. Counters
 * live in the shared state, so every instance enforces the same limits. Unknown usernames are
 * counted exactly like known ones (no enumeration through throttling).
 */
import type { SharedState } from '@rampart/store';
import { sha256 } from '../../lib/random.js';

export interface ThrottlePolicy {
  /** Failures allowed before any delay. */
  free: number;
  /** Delay after the first failure past the budget; doubles with each further one. */
  baseMs: number;
  maxMs: number;
  /** Failures are forgotten this long after the first one. */
  windowMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseMs: 1000, maxMs: 30_000, windowMs: 15 * 60_000 };
export const IP_POLICY: ThrottlePolicy = { free: 20, baseMs: 1000, maxMs: 60_000, windowMs: 15 * 60_000 };

/** The wait imposed after `failures` failures. */
export function delayFor(failures: number, policy: ThrottlePolicy): number {
  if (failures <= policy.free) return 0;
  return Math.min(policy.baseMs * 2 ** Math.min(failures - policy.free - 1, 30), policy.maxMs);
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Subject {
  key: string;
  policy: ThrottlePolicy;
}

export class LoginThrottle {
  constructor(
    private readonly shared: SharedState,
    private readonly policies = { account: ACCOUNT_POLICY, ip: IP_POLICY },
  ) {}

  /** Shared-state key names (tests clear gates to stand in for waiting). */
  static gateKey(kind: 'acct' | 'ip', value: string): string {
    return `login:gate:${kind}:${sha256(value)}`;
  }

  private subjects(account: string, ip: string): Subject[] {
    return [
      { key: `acct:${sha256(account)}`, policy: this.policies.account },
      { key: `ip:${sha256(ip)}`, policy: this.policies.ip },
    ];
  }

  /**
   * May this attempt go ahead? Past the free budget an attempt must take the subject's gate
   * (set-if-absent), so concurrent attempts cannot all slip through the same delay.
   */
  async check(account: string, ip: string, now = Date.now()): Promise<ThrottleDecision> {
    let wait = 0;
    for (const { key, policy } of this.subjects(account, ip)) {
      const gate = await this.shared.get(`login:gate:${key}`);
      if (gate !== null) {
        wait = Math.max(wait, Number(gate) - now, 1000);
        continue;
      }
      const failures = Number((await this.shared.get(`login:fail:${key}`)) ?? 0);
      if (failures < policy.free) continue;
      const delay = delayFor(failures + 1, policy);
      const taken = await this.shared.setIfAbsent(`login:gate:${key}`, String(now + delay), { ttlMs: delay });
      if (!taken) wait = Math.max(wait, delay);
    }
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }

  /** Records a failed attempt; returns the longest delay it now imposes. */
  async failed(account: string, ip: string, now = Date.now()): Promise<number> {
    let longest = 0;
    for (const { key, policy } of this.subjects(account, ip)) {
      const { value } = await this.shared.increment(`login:fail:${key}`, 1, policy.windowMs);
      const delay = delayFor(value, policy);
      if (delay > 0) await this.shared.set(`login:gate:${key}`, String(now + delay), { ttlMs: delay });
      longest = Math.max(longest, delay);
    }
    return longest;
  }

  /** A successful login clears the account's failures (not the IP's: one good account must not launder an IP). */
  async succeeded(account: string): Promise<void> {
    const [accountSubject] = this.subjects(account, '');
    if (!accountSubject) return;
    await this.shared.delete(`login:fail:${accountSubject.key}`);
    await this.shared.delete(`login:gate:${accountSubject.key}`);
  }
}
