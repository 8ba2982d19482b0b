/**
 * Change notification across config-server instances: every committed write is published on the
 * shared state (Redis with several instances, in-process otherwise); each instance wakes the
 * long polls waiting on it, which then re-read the store.
 */
import type { SharedState } from '@rampart/store';

const CHANNEL = 'changes';

export class ChangeBus {
  readonly #shared: SharedState;
  readonly #waiters = new Set<() => void>();
  #unsubscribe: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(shared: SharedState) {
    this.#shared = shared;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#shared.subscribe(CHANNEL, () => this.#wakeAll());
  }

  /** Announces a new version to every instance (this one included). */
  async publish(version: number): Promise<void> {
    this.#wakeAll();
    await this.#shared.publish(CHANNEL, String(version));
  }

  /** Resolves at the next change anywhere, after `timeoutMs`, on `signal`, or when the bus closes. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get waiting(): number {
    return this.#waiters.size;
  }

  /** Wakes every waiter (they answer at once) and stops listening. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeAll();
    await this.#unsubscribe?.();
  }

  #wakeAll(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
