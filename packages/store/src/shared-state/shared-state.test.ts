import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { StoreError } from '../errors.js';
import { MemorySharedState } from './memory.js';
import { openSharedState } from './open-shared-state.js';
import type { SharedState } from './shared-state.js';

const redisUrl = inject('redisUrl');
/** One random prefix per run; every test's prefix starts with it, and afterAll deletes its keys. */
const runPrefix = `t_${randomBytes(4).toString('hex')}`;
let n = 0;
const freshPrefix = () => `${runPrefix}_${++n}`;

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function collector() {
  const messages: string[] = [];
  return { messages, handler: (message: string) => void messages.push(message) };
}

const backends: [string, string | undefined | null][] = [
  ['memory', undefined],
  ['redis', redisUrl],
];

for (const [kind, url] of backends) {
  describe.skipIf(url === null)(`SharedState (${kind})`, () => {
    const opened: SharedState[] = [];
    const open = async (prefix = freshPrefix(), onError?: (error: Error) => void) => {
      const state = await openSharedState({ url: url ?? undefined, prefix, ...(onError && { onError }) });
      opened.push(state);
      return state;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((state) => state.close()));
    });

    it(`is a ${kind} state that answers ping`, async () => {
      const state = await open();
      expect(state.kind).toBe(kind);
      await state.ping();
    });

    it('never loses an increment under 200 concurrent callers', async () => {
      const state = await open();
      const results = await Promise.all(
        Array.from({ length: 200 }, () => state.increment('hits', 1, 10_000)),
      );
      const values = results.map((result) => result.value).sort((a, b) => a - b);
      expect(values).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(await state.get('hits')).toBe('200');
    });

    it('starts a window on the first increment, never extends it, and resets after it', async () => {
      const state = await open();
      const first = await state.increment('window', 3, 100);
      expect(first).toEqual({ value: 3, ttlMs: expect.any(Number) });
      expect(first.ttlMs).toBeGreaterThan(80);
      expect(first.ttlMs).toBeLessThanOrEqual(100);

      await sleep(40);
      const second = await state.increment('window', 2, 100);
      expect(second.value).toBe(5);
      expect(second.ttlMs).toBeLessThanOrEqual(first.ttlMs - 30);

      await sleep(second.ttlMs + 20);
      expect(await state.increment('window', 1, 100)).toMatchObject({ value: 1 });
    });

    it('gives a counter set without a TTL a window on increment', async () => {
      const state = await open();
      await state.set('counter', '7');
      const result = await state.increment('counter', 1, 5000);
      expect(result.value).toBe(8);
      expect(result.ttlMs).toBeGreaterThan(4000);
    });

    it('sets, gets and expires values', async () => {
      const state = await open();
      expect(await state.get('missing')).toBeNull();
      await state.set('forever', '{"a":1}');
      await state.set('brief', 'soon gone', { ttlMs: 50 });
      expect(await state.get('forever')).toBe('{"a":1}');
      expect(await state.get('brief')).toBe('soon gone');
      await sleep(80);
      expect(await state.get('brief')).toBeNull();
      expect(await state.get('forever')).toBe('{"a":1}');
    });

    it('sets only absent keys, and again once the key expired', async () => {
      const state = await open();
      expect(await state.setIfAbsent('jti', 'first', { ttlMs: 60 })).toBe(true);
      expect(await state.setIfAbsent('jti', 'second', { ttlMs: 60 })).toBe(false);
      expect(await state.get('jti')).toBe('first');
      await sleep(90);
      expect(await state.setIfAbsent('jti', 'third', { ttlMs: 60 })).toBe(true);
      expect(await state.get('jti')).toBe('third');
    });

    it('deletes keys and says whether one existed', async () => {
      const state = await open();
      await state.set('k', 'v');
      expect(await state.delete('k')).toBe(true);
      expect(await state.delete('k')).toBe(false);
      expect(await state.get('k')).toBeNull();
    });

    it('rejects TTLs and increments that are not positive integers', async () => {
      const state = await open();
      await expect(state.increment('k', 1, 0)).rejects.toThrow(RangeError);
      await expect(state.increment('k', 1.5, 100)).rejects.toThrow(RangeError);
      await expect(state.set('k', 'v', { ttlMs: -1 })).rejects.toThrow(RangeError);
      await expect(state.setIfAbsent('k', 'v', { ttlMs: 1.5 })).rejects.toThrow(RangeError);
    });

    it('delivers messages in order to every subscriber, never on the publisher stack', async () => {
      const state = await open();
      const a = collector();
      const b = collector();
      await state.subscribe('events', a.handler);
      await state.subscribe('events', b.handler);
      const published = state.publish('events', '1');
      expect(a.messages).toEqual([]);
      await published;
      await state.publish('events', '2');
      await state.publish('events', '3');
      await until(() => a.messages.length === 3 && b.messages.length === 3);
      expect(a.messages).toEqual(['1', '2', '3']);
      expect(b.messages).toEqual(['1', '2', '3']);
    });

    it('stops delivering after unsubscribe', async () => {
      const state = await open();
      const kept = collector();
      const dropped = collector();
      await state.subscribe('events', kept.handler);
      const unsubscribe = await state.subscribe('events', dropped.handler);
      await state.publish('events', 'before');
      await until(() => dropped.messages.length === 1);
      await unsubscribe();
      await unsubscribe(); // idempotent
      await state.publish('events', 'after');
      // Both handlers hang off the same delivery, so once `kept` has it, `dropped` would have too.
      await until(() => kept.messages.length === 2);
      expect(dropped.messages).toEqual(['before']);

      const alone = collector();
      const stop = await state.subscribe('solo', alone.handler);
      await stop();
      await state.publish('solo', 'unheard');
      await state.publish('events', 'marker');
      await until(() => kept.messages.length === 3);
      expect(alone.messages).toEqual([]);
    });

    it('reports a throwing handler to onError and still delivers to the others', async () => {
      const errors: Error[] = [];
      const state = await open(freshPrefix(), (error) => errors.push(error));
      const ok = collector();
      await state.subscribe('events', () => {
        throw new Error('handler bug');
      });
      await state.subscribe('events', ok.handler);
      await state.publish('events', 'x');
      await until(() => ok.messages.length === 1 && errors.length === 1);
      expect(errors[0]?.message).toBe('handler bug');
    });

    it('keeps prefixes apart: keys, counters and channels', async () => {
      const a = await open();
      const b = await open();
      await a.set('k', 'from a');
      await a.increment('count', 5, 10_000);
      expect(await b.get('k')).toBeNull();
      expect(await b.increment('count', 1, 10_000)).toMatchObject({ value: 1 });
      expect(await b.delete('k')).toBe(false);
      expect(await a.get('k')).toBe('from a');

      const heard = collector();
      await b.subscribe('events', heard.handler);
      await a.publish('events', 'for a only');
      await b.publish('events', 'marker');
      await until(() => heard.messages.length >= 1);
      expect(heard.messages).toEqual(['marker']);
    });
  });
}

describe('SharedState (memory) internals', () => {
  it('sweeps expired entries nobody reads again', async () => {
    const state = new MemorySharedState({ onError: () => undefined, sweepIntervalMs: 20 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => state.set(`k${i}`, 'v', { ttlMs: 10 })));
    await state.set('stays', 'v');
    expect(state.size).toBe(101);
    await until(() => state.size === 1, 1000);
    expect(await state.get('stays')).toBe('v');
    await state.close();
  });

  it('gives each instance its own state', async () => {
    const [a, b] = await Promise.all([
      openSharedState({ prefix: 'same' }),
      openSharedState({ prefix: 'same' }),
    ]);
    await a.set('k', 'v');
    expect(await b.get('k')).toBeNull();
    await Promise.all([a.close(), b.close()]);
  });
});

describe.skipIf(redisUrl === null)('SharedState (redis) across instances', () => {
  const url = redisUrl!;
  const raw = new Redis(url, { lazyConnect: true });
  const opened: SharedState[] = [];
  const open = async (prefix: string, onError?: (error: Error) => void) => {
    const state = await openSharedState({ url, prefix, onError: onError ?? (() => undefined) });
    opened.push(state);
    return state;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((state) => state.close()));
  });
  afterAll(async () => {
    const keys = await raw.keys(`${runPrefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  });

  it('shares one counter between instances without losing increments', async () => {
    const prefix = freshPrefix();
    const [a, b] = await Promise.all([open(prefix), open(prefix)]);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).increment('hits', 1, 10_000)),
    );
    expect(results.map((r) => r.value).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  });

  it('delivers a message published by one instance to another', async () => {
    const prefix = freshPrefix();
    const [a, b] = await Promise.all([open(prefix), open(prefix)]);
    const heard = collector();
    await a.subscribe('revoked', heard.handler);
    await b.publish('revoked', 'jti-1');
    await until(() => heard.messages.length === 1);
    expect(heard.messages).toEqual(['jti-1']);
  });

  it('stores keys under "prefix:"', async () => {
    const prefix = freshPrefix();
    const state = await open(prefix);
    await state.set('session:1', 'v');
    expect(await raw.get(`${prefix}:session:1`)).toBe('v');
    expect(await raw.get('session:1')).toBeNull();
  });

  it('recovers from dropped connections, subscriptions included', async () => {
    const prefix = freshPrefix();
    const state = await open(prefix);
    const heard = collector();
    await state.subscribe('events', heard.handler);
    await state.set('k', 'v');

    // Kill both of this instance's connections (they are named after the prefix).
    const list = (await raw.call('CLIENT', 'LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=${prefix} `) || line.includes(` name=${prefix}:sub `))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1]);
    expect(ids).toHaveLength(2);
    for (const id of ids) await raw.call('CLIENT', 'KILL', 'ID', id!);

    expect(await state.get('k')).toBe('v');
    // The subscriber re-subscribes on its own; publish until it hears again.
    const publisher = await open(prefix);
    for (let i = 0; heard.messages.length === 0 && i < 100; i++) {
      await publisher.publish('events', 'back');
      await sleep(20);
    }
    expect(heard.messages[0]).toBe('back');
  });

  it('fails fast on an unreachable Redis, naming host and port but not the password', async () => {
    const started = Date.now();
    const error: unknown = await openSharedState({ url: 'redis://:s3cret@127.0.0.1:1', prefix: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(3500);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_ERR_UNREACHABLE' });
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message).not.toContain('s3cret');
  });
});

describe('openSharedState with a bad URL', () => {
  it.each([
    ['redis://:s3cret@127.0.0.1:notaport', 'redis://:****@127.0.0.1:notaport'],
    ['http://user:s3cret@127.0.0.1:6379', 'http://user:****@127.0.0.1:6379'],
    ['redis://:s3cret@127.0.0.1:6379/zero', 'invalid database "/zero"'],
  ])('rejects %j', async (url, mentions) => {
    const error: unknown = await openSharedState({ url, prefix: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_ERR_BAD_URL' });
    expect((error as Error).message).toContain(mentions);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('rejects an empty prefix', async () => {
    await expect(openSharedState({ prefix: '' })).rejects.toThrow(/prefix/);
  });
});
