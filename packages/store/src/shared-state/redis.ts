import { Redis } from 'ioredis';
import { StoreError } from '../errors.js';
import { assertIncrement, assertTtl, deliver } from './shared-state.js';
import type { SharedState } from './shared-state.js';

/**
 * INCRBY, then start the window only if the key has none (PEXPIRE NX semantics, which Redis < 7
 * lacks), then report the time left: in one script, so concurrent callers on any number of
 * processes never lose an increment nor extend a window.
 */
const INCREMENT_SCRIPT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {value, ttl}
`;

type Client = Redis & { rampartIncrement(key: string, by: number, ttlMs: number): Promise<[number, number]> };

export interface RedisSharedStateOptions {
  prefix: string;
  /** `host:port`, for error messages. */
  address: string;
  onError: (error: Error) => void;
  /** Bound on the wait for the first connection (default 2000 ms). */
  connectTimeoutMs?: number;
}

interface Channel {
  handlers: Set<(message: string) => void>;
  /** Settles when the SUBSCRIBE for this channel has been acknowledged. */
  ready: Promise<unknown>;
}

/**
 * Opens a Redis-backed {@link SharedState}, failing with `STORE_ERR_UNREACHABLE` when Redis does
 * not answer within the connect timeout.
 */
export async function openRedisSharedState(
  url: string,
  options: RedisSharedStateOptions,
): Promise<SharedState> {
  const client = createClient(url, options, options.prefix);
  await connect(client, options);
  client.defineCommand('rampartIncrement', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
  return new RedisSharedState(client as Client, options);
}

function createClient(url: string, options: RedisSharedStateOptions, connectionName: string): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    // Fail a command after a couple of reconnect attempts rather than queue it for long: callers
    // (rate limiters, session reads) decide what an outage means for them.
    maxRetriesPerRequest: 2,
    // Shows up in CLIENT LIST, so an operator can tell which service holds a connection.
    connectionName: connectionName.replace(/[^\w:.-]/g, '_'),
  });
  return client;
}

async function connect(client: Redis, options: RedisSharedStateOptions): Promise<void> {
  let opened = false;
  let cause: Error | undefined;
  // Without an 'error' listener a dropped connection would crash the process. Errors while
  // opening are kept for the StoreError: connect() itself only says "Connection is closed".
  client.on('error', (error: Error) => {
    if (opened) options.onError(error);
    else cause ??= error;
  });
  const limit = (options.connectTimeoutMs ?? 2000) + 1000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${limit} ms`)), limit);
      }),
    ]);
    opened = true;
  } catch (error) {
    client.disconnect(); // stops ioredis from retrying in the background
    cause ??= error as Error;
    throw new StoreError(
      'STORE_ERR_UNREACHABLE',
      `cannot connect to Redis at ${options.address}: ${cause.message}`,
      {
        cause,
      },
    );
  } finally {
    clearTimeout(timer);
  }
}

class RedisSharedState implements SharedState {
  readonly kind = 'redis' as const;
  readonly #client: Client;
  readonly #options: RedisSharedStateOptions;
  readonly #prefix: string;
  readonly #channels = new Map<string, Channel>();
  #subscriber: Promise<Redis> | undefined;
  #closing: Promise<void> | undefined;

  constructor(client: Client, options: RedisSharedStateOptions) {
    this.#client = client;
    this.#options = options;
    this.#prefix = `${options.prefix}:`;
  }

  async increment(key: string, by: number, ttlMs: number): Promise<{ value: number; ttlMs: number }> {
    assertIncrement(by);
    assertTtl(ttlMs);
    const [value, left] = await this.#client.rampartIncrement(this.#prefix + key, by, ttlMs);
    return { value, ttlMs: left };
  }

  async get(key: string): Promise<string | null> {
    return this.#client.get(this.#prefix + key);
  }

  async set(key: string, value: string, opts?: { ttlMs?: number }): Promise<void> {
    if (opts?.ttlMs === undefined) {
      await this.#client.set(this.#prefix + key, value);
    } else {
      assertTtl(opts.ttlMs);
      await this.#client.set(this.#prefix + key, value, 'PX', opts.ttlMs);
    }
  }

  async setIfAbsent(key: string, value: string, opts: { ttlMs: number }): Promise<boolean> {
    assertTtl(opts.ttlMs);
    return (await this.#client.set(this.#prefix + key, value, 'PX', opts.ttlMs, 'NX')) === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#client.del(this.#prefix + key)) > 0;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#client.publish(this.#prefix + channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const subscriber = await this.#getSubscriber();
    const name = this.#prefix + channel;
    const subscription = (message: string) => handler(message);
    let entry = this.#channels.get(name);
    if (entry === undefined) {
      // Bookkeeping happens before any await, and the connection runs commands in order, so
      // interleaved subscribe/unsubscribe calls always leave Redis matching #channels.
      entry = { handlers: new Set(), ready: subscriber.subscribe(name) };
      this.#channels.set(name, entry);
    }
    entry.handlers.add(subscription);
    const current = entry;
    try {
      await current.ready;
    } catch (error) {
      current.handlers.delete(subscription);
      if (current.handlers.size === 0 && this.#channels.get(name) === current) this.#channels.delete(name);
      throw error;
    }
    return async () => {
      if (!current.handlers.delete(subscription) || current.handlers.size > 0) return;
      if (this.#channels.get(name) !== current) return;
      this.#channels.delete(name);
      await subscriber.unsubscribe(name);
    };
  }

  async ping(): Promise<void> {
    await this.#client.ping();
  }

  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      const subscriber = await this.#subscriber?.catch(() => undefined);
      await Promise.all([quit(this.#client), subscriber && quit(subscriber)]);
      this.#channels.clear();
    })());
  }

  /** The subscriber connection, opened on first use: a connection in subscribe mode can do nothing else. */
  #getSubscriber(): Promise<Redis> {
    this.#subscriber ??= (async () => {
      const subscriber = this.#client.duplicate({
        connectionName: `${this.#client.options.connectionName ?? ''}:sub`,
      });
      // ioredis re-subscribes to every channel after a reconnect (autoResubscribe, on by default).
      subscriber.on('message', (channel: string, message: string) => {
        const entry = this.#channels.get(channel);
        if (entry === undefined) return;
        for (const handler of [...entry.handlers]) deliver(handler, message, this.#options.onError);
      });
      await connect(subscriber, this.#options);
      return subscriber;
    })();
    // A failed attempt is not cached: the next subscribe tries again.
    this.#subscriber.catch(() => (this.#subscriber = undefined));
    return this.#subscriber;
  }
}

async function quit(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
