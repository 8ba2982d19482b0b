/**
 * Keeps one of Node's own `process.nextTick()` queue entries alive for the life of the process.
 *
 * Why: `nextTick()` builds each queue entry with an object literal whose first keys are computed
 * (`{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, callback, args }`). V8 remembers the
 * shapes (maps) such a literal produces only weakly. When a garbage collection runs while no
 * entry is alive — typically once during start-up — the shapes die, the literal's feedback turns
 * megamorphic for good, and from then on every `nextTick()` defines its properties through the
 * V8 runtime instead of inline. Node's streams call `nextTick()` about five times per HTTP
 * request, so a service paid ~1.2 µs per request for it: a fifth of a small route's throughput
 * (measured on Node 20; README "Benchmarks"). Bare Fastify pays it too whenever such a collection
 * happens to run at that moment. Holding one genuine entry keeps its shapes, and so the feedback,
 * alive. It costs one small object.
 *
 * It must run before the process loads its other modules, not merely before they run: static
 * imports are all fetched and parsed before any of them runs, and that loading triggers
 * collections of its own. So every Rampart entry point imports this module alone and loads the
 * rest with `await import()` (or: `node --import @rampart/chassis/pin-tick-object main.js`). It is
 * also the chassis' first import, for processes that do neither.
 */
import { executionAsyncResource } from 'node:async_hooks';

let pinned: object | undefined;

// Inside a nextTick callback, the current async resource is the queue entry itself.
process.nextTick(() => {
  pinned = executionAsyncResource();
});

/** The queue entry held alive (undefined until the first tick has run). */
export function pinnedTickObject(): object | undefined {
  return pinned;
}
