// Crashes (exit 1) on its first FIXTURE_CRASHES starts, then behaves like server.mjs. The count of
// starts so far lives in FIXTURE_COUNTER_FILE, because each start is a new process.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.FIXTURE_COUNTER_FILE;
let starts = 0;
try {
  starts = Number(readFileSync(file, 'utf8'));
} catch {
  // first start
}
writeFileSync(file, String(starts + 1));
if (starts < Number(process.env.FIXTURE_CRASHES ?? 0)) {
  process.stderr.write(`crash number ${starts + 1}\n`);
  process.exit(1);
}
await import('./server.mjs');
