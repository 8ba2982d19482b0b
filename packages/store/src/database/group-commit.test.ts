import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.js';

describe('createGroupCommit', () => {
  it('writes what is submitted together in one batch and settles each with its own result', async () => {
    const batches: number[][] = [];
    const commit = createGroupCommit(async (batch: readonly number[]) => {
      batches.push([...batch]);
      return batch.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => commit.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('queues what arrives during a write for the next one, and bounds batches', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const commit = createGroupCommit(async (batch: readonly number[]) => {
      batches.push([...batch]);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return batch.map(() => undefined);
    }, 2);
    const first = commit.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((n) => commit.submit(n));
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('rejects every item of a failed batch, and keeps serving later ones', async () => {
    let fail = true;
    const commit = createGroupCommit(async (batch: readonly string[]) => {
      if (fail) throw new Error('disk full');
      return batch.map((s) => s.toUpperCase());
    });
    const failed = await Promise.allSettled([commit.submit('a'), commit.submit('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await commit.submit('c')).toBe('C');
  });
});
