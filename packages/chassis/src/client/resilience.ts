/**
 * The resilience policies of one service client (cockatiel): a per-attempt timeout, a circuit
 * breaker shared by every call to the service, and — for idempotent calls only — retries with
 * exponential backoff and decorrelated jitter (RFC 9110 §9.2.2: only idempotent requests may be
 * repeated automatically).
 */
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  noop,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  retries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface BreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  consecutiveFailures?: number;
  /** How long it stays open before one trial call (default 10 000 ms). */
  halfOpenAfterMs?: number;
}

export interface Policies {
  idempotent: IPolicy;
  other: IPolicy;
}

interface StatusLike {
  status: number;
}

const isFailure = (error: Error) =>
  !(error instanceof BrokenCircuitError) && !(error as { noRetry?: boolean }).noRetry;
const RETRY_STATUS = new Set([429, 502, 503, 504]);

export function createPolicies(options: {
  timeoutMs: number;
  retry: RetryOptions | false;
  breaker: BreakerOptions | false;
}): Policies {
  const perAttempt = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  const breaker = options.breaker
    ? circuitBreaker(
        handleWhen(isFailure).orWhenResult((r) => (r as StatusLike).status >= 500),
        {
          halfOpenAfter: options.breaker.halfOpenAfterMs ?? 10_000,
          breaker: new ConsecutiveBreaker(options.breaker.consecutiveFailures ?? 5),
        },
      )
    : noop;
  const retries = options.retry ? (options.retry.retries ?? 2) : 0;
  const retrying =
    options.retry && retries > 0
      ? retry(
          handleWhen(isFailure).orWhenResult((r) => RETRY_STATUS.has((r as StatusLike).status)),
          {
            maxAttempts: retries,
            backoff: new ExponentialBackoff({
              initialDelay: options.retry.initialDelayMs ?? 100,
              maxDelay: options.retry.maxDelayMs ?? 2000,
            }),
          },
        )
      : noop;
  return { idempotent: wrap(retrying, breaker, perAttempt), other: wrap(breaker, perAttempt) };
}

export { BrokenCircuitError, TaskCancelledError };
