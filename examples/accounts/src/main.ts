#!/usr/bin/env node
// The nextTick pin is this entry's only static import: static imports are all loaded before any of
// them runs, and a collection during that loading can slow every later request (README: "A Node.js
// pitfall the chassis works around").
import '@rampart/chassis/pin-tick-object';

const { runService } = await import('@rampart/chassis');
const { buildAccounts } = await import('./app.js');

await runService(async () => {
  const app = await buildAccounts();
  await app.start();
});
