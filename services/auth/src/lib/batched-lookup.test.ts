import { describe, expect, it } from 'vitest';
import { batchedLookup } from './batched-lookup.js';

describe('batchedLookup', () => {
  it('answers the look-ups of one event-loop turn with one load, each caller with its own copy', async () => {
    const loads: string[][] = [];
    const find = batchedLookup(async (keys) => {
      loads.push([...keys]);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, { key: k, tags: [] as string[] }]));
    });
    const [a, b, again, missing] = await Promise.all([find('a'), find('b'), find('a'), find('missing')]);
    expect(loads).toEqual([['a', 'b', 'missing']]);
    expect(a).toEqual({ key: 'a', tags: [] });
    expect(b).toEqual({ key: 'b', tags: [] });
    expect(missing).toBeUndefined();
    a!.tags.push('changed');
    expect(again).toEqual({ key: 'a', tags: [] });

    // A later look-up is a new load: it sees what was committed after the first.
    await find('a');
    expect(loads).toEqual([['a', 'b', 'missing'], ['a']]);
  });

  it('rejects every caller of a failed load', async () => {
    const find = batchedLookup<string>(async () => {
      throw new Error('database down');
    });
    const results = await Promise.allSettled([find('a'), find('b'), find('a')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
