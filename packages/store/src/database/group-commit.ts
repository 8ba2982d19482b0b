/**
 * Group commit: items submitted while a write is pending — in the same event-loop turn, or while
 * the previous batch is being written — are written together by one `write(batch)`, so a burst of
 * requests costs one transaction (one fsync on SQLite, a few round trips on PostgreSQL), not one
 * each. Every `submit()` still settles only once its own batch's write has: with that item's
 * result, or with the write's error (nothing is acknowledged that was not committed).
 *
 * @example
 * ```ts
 * const outbox = createGroupCommit(async (rows: Row[]) => {
 *   await db.insertInto('outbox').values(rows).execute();
 *   return rows.map(() => undefined);
 * });
 * await outbox.submit(row); // resolved after the INSERT that carried it committed
 * ```
 */
export interface GroupCommit<T, R> {
  submit(item: T): Promise<R>;
}

export function createGroupCommit<T, R>(
  /** Writes one batch; resolves with one result per item, in order. */
  write: (batch: readonly T[]) => Promise<readonly R[]>,
  /** Bounds a batch (bound parameters: SQLite ≤ 32766, PostgreSQL ≤ 65535 per statement). */
  maxBatch = 200,
): GroupCommit<T, R> {
  interface Pending {
    item: T;
    resolve: (result: R) => void;
    reject: (error: unknown) => void;
  }
  let queue: Pending[] = [];
  let writing = false;

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      try {
        const results = await write(batch.map((pending) => pending.item));
        batch.forEach((pending, i) => pending.resolve(results[i] as R));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    writing = false;
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // Deferred to the end of this event-loop turn, so concurrent requests share one write.
        if (!writing) {
          writing = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
