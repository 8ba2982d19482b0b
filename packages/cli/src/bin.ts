#!/usr/bin/env node
// The nextTick pin is this entry's only static import: static imports are all loaded before any of
// them runs, and a collection during that loading can slow every later request (README: "A Node.js
// pitfall the chassis works around").
import '@rampart/chassis/pin-tick-object';

const { runCli } = await import('./cli.js');

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signals: process,
  });
} catch (error) {
  process.stderr.write(
    `rampart: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
