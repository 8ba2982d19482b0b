/**
 * Look-ups by key made in one event-loop turn, answered by one query: under load the token
 * endpoint's reads (the refresh token, its user) cost one statement per burst instead of one per
 * request — on SQLite one statement preparation, on PostgreSQL one round trip. A look-up is issued
 * no earlier than it was asked for, so it sees everything committed before the call.
 */
export type BatchLoad<V> = (keys: readonly string[]) => Promise<Map<string, V>>;

/** Bounds one batch's bound parameters. */
const MAX_BATCH = 500;

export function batchedLookup<V>(load: BatchLoad<V>): (key: string) => Promise<V | undefined> {
  let waiting = new Map<string, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>();
  let scheduled = false;

  async function run(keys: string[], callers: typeof waiting): Promise<void> {
    try {
      const found = await load(keys);
      for (const key of keys) {
        const value = found.get(key);
        // Each caller gets its own copy: one request must not see another's changes.
        (callers.get(key) ?? []).forEach((caller, i) =>
          caller.resolve(i === 0 || value === undefined ? value : structuredClone(value)),
        );
      }
    } catch (error) {
      for (const key of keys) for (const caller of callers.get(key) ?? []) caller.reject(error);
    }
  }

  function flush(): void {
    scheduled = false;
    const callers = waiting;
    waiting = new Map();
    const keys = [...callers.keys()];
    for (let i = 0; i < keys.length; i += MAX_BATCH) void run(keys.slice(i, i + MAX_BATCH), callers);
  }

  return (key) =>
    new Promise((resolve, reject) => {
      const callers = waiting.get(key);
      if (callers) callers.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      // Deferred to the end of this event-loop turn, so concurrent requests share one query.
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
