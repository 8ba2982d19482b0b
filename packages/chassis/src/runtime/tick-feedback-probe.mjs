// Run by pin-tick-object.test.ts with --allow-natives-syntax --expose-gc: queues ticks, runs
// full collections while no tick is queued (as start-up does), queues ticks again, then prints
// V8's feedback for process.nextTick. With PIN=1 it loads the chassis first, as services do.
if (process.env.PIN === '1') await import('@rampart/chassis');
const noop = () => {};
const drain = () => new Promise((resolve) => setImmediate(resolve));
for (let i = 0; i < 100; i++) process.nextTick(noop);
await drain();
globalThis.gc();
globalThis.gc();
for (let i = 0; i < 100; i++) process.nextTick(noop);
await drain();
// Prints the function with its feedback vector, one line per slot, to stdout.
eval('%DebugPrint(process.nextTick)');
