import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BatchedOutput } from './batched-output.js';

const dir = mkdtempSync(join(tmpdir(), 'rampart-batched-'));

function withFile(run: (output: BatchedOutput) => void): string {
  const file = join(dir, `${Math.random()}.log`);
  const fd = openSync(file, 'w');
  run(new BatchedOutput({ fd, batchBytes: 1024, intervalMs: 60_000 }));
  closeSync(fd);
  return readFileSync(file, 'utf8');
}

describe('BatchedOutput', () => {
  it('holds lines until a batch is full or flushed, then writes them in order', () => {
    const content = withFile((out) => {
      out.write('one\n');
      out.write('two\n');
      out.flushSync();
      out.write('three\n');
      out.flush();
    });
    expect(content).toBe('one\ntwo\nthree\n');
  });

  it('writes full batches by itself and keeps every byte of long and non-ASCII lines', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ✓ ${'é'.repeat(i % 7)}\n`);
    const huge = `${'x'.repeat(10_000)}\n`;
    let writtenBeforeFlush = 0;
    const file = join(dir, 'batches.log');
    const fd = openSync(file, 'w');
    const out = new BatchedOutput({ fd, batchBytes: 1024, intervalMs: 60_000 });
    for (const line of lines) out.write(line);
    out.write(huge);
    writtenBeforeFlush = readFileSync(file).length;
    out.flushSync();
    closeSync(fd);
    expect(writtenBeforeFlush).toBeGreaterThan(10_000);
    expect(readFileSync(file, 'utf8')).toBe(lines.join('') + huge);
  });

  it('flushes what it holds when the process exits', () => {
    const script = fileURLToPath(new URL('../test-support/log-then-exit.mjs', import.meta.url));
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { msg: string })
        .map((l) => l.msg),
    ).toEqual(['first', 'last words']);
  });
});
