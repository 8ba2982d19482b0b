/**
 * The revocation feed: every revoked access token (`jti` until its `exp`), family, session and
 * disabled user is stored with a monotonically increasing id and published on the shared state
 * (channel `revocations`), so gateways and services keep an in-memory deny-list.
 *
 * Waiters (long polls, SSE streams) wake on a published message; a slow poll of the table covers
 * instances that share the database but not the pub/sub (no Redis).
 */
import type { Kysely } from 'kysely';
import type { SharedState } from '@rampart/store';
import { ms, type TokenTables } from '../db/tables.js';

export type RevocationKind = 'jti' | 'family' | 'session' | 'user';

export interface RevocationInput {
  kind: RevocationKind;
  value: string;
  /** Until when a deny-list must keep it (epoch ms). */
  expiresAt: number;
}

export interface RevocationEvent {
  id: number;
  kind: RevocationKind;
  value: string;
  /** Epoch seconds, like a JWT `exp`. */
  exp: number;
}

export const REVOCATIONS_CHANNEL = 'revocations';

/**
 * An event as `GET /revocations` sends it (the contract the chassis deny-list reads): `type`
 * `access_token` with `jti`, `session` with `sid`, `user` with `sub`, `family` with `family`
 * (a family's access tokens are also sent one by one as `access_token` events); `exp` in seconds.
 */
export interface WireRevocationEvent {
  id: number;
  type: 'access_token' | 'family' | 'session' | 'user';
  jti?: string;
  sid?: string;
  sub?: string;
  family?: string;
  exp: number;
}

export function toWireEvent(event: RevocationEvent): WireRevocationEvent {
  const { id, exp, value } = event;
  switch (event.kind) {
    case 'jti':
      return { id, type: 'access_token', jti: value, exp };
    case 'session':
      return { id, type: 'session', sid: value, exp };
    case 'user':
      return { id, type: 'user', sub: value, exp };
    case 'family':
      return { id, type: 'family', family: value, exp };
  }
}

export class RevocationFeed {
  #waiters = new Set<() => void>();
  #unsubscribe: (() => Promise<void>) | undefined;
  #poll: NodeJS.Timeout | undefined;
  #lastSeen = 0;
  #closed = false;

  constructor(
    private readonly db: Kysely<TokenTables>,
    private readonly shared: SharedState,
    private readonly pollMs = 2000,
  ) {}

  async start(): Promise<void> {
    this.#unsubscribe = await this.shared.subscribe(REVOCATIONS_CHANNEL, () => this.wake());
  }

  /** True once stopped: waiters return at once, streams end. */
  get closed(): boolean {
    return this.#closed;
  }

  async stop(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poll);
    this.#poll = undefined;
    this.wake();
    await this.#unsubscribe?.();
  }

  /** Stores the events, then publishes them; resolves with what was stored. */
  async record(inputs: readonly RevocationInput[], now = Date.now()): Promise<RevocationEvent[]> {
    if (inputs.length === 0) return [];
    const rows = await this.db
      .insertInto('revocations')
      .values(inputs.map((i) => ({ kind: i.kind, value: i.value, expires_at: i.expiresAt, created_at: now })))
      .returning(['id', 'kind', 'value', 'expires_at'])
      .execute();
    const events = rows.map(toEvent);
    await this.shared.publish(REVOCATIONS_CHANNEL, JSON.stringify(events)).catch(() => undefined);
    this.wake();
    return events;
  }

  /** Events after `since` that still matter (not past their expiry), oldest first. */
  async since(since: number, limit = 1000, now = Date.now()): Promise<RevocationEvent[]> {
    const rows = await this.db
      .selectFrom('revocations')
      .select(['id', 'kind', 'value', 'expires_at'])
      .where('id', '>', since)
      .where('expires_at', '>', now)
      .orderBy('id')
      .limit(limit)
      .execute();
    const events = rows.map(toEvent);
    const seen = events.at(-1)?.id ?? since;
    if (seen > this.#lastSeen) this.#lastSeen = seen;
    return events;
  }

  /**
   * True when `value` of `kind` is revoked (introspection, /userinfo). With `issuedAt` (epoch ms),
   * only a revocation at or after it counts: a user enabled again gets working tokens again.
   */
  async isRevoked(
    kind: RevocationKind,
    value: string,
    issuedAt?: number,
    now = Date.now(),
  ): Promise<boolean> {
    let query = this.db
      .selectFrom('revocations')
      .select('id')
      .where('kind', '=', kind)
      .where('value', '=', value)
      .where('expires_at', '>', now);
    if (issuedAt !== undefined) query = query.where('created_at', '>=', issuedAt);
    const row = await query.executeTakeFirst();
    return row !== undefined;
  }

  /** Waits for events after `since`, up to `timeoutMs`; resolves with them (possibly none). */
  async wait(since: number, timeoutMs: number, signal?: AbortSignal): Promise<RevocationEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = await this.since(since);
      const left = deadline - Date.now();
      if (events.length > 0 || left <= 0 || signal?.aborted || this.#closed) return events;
      await this.sleep(left, signal);
    }
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        if (this.#waiters.size === 0) {
          clearInterval(this.#poll);
          this.#poll = undefined;
        }
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      this.#waiters.add(done);
      this.#poll ??= setInterval(() => this.pollTable(), this.pollMs);
      this.#poll.unref();
    });
  }

  private pollTable(): void {
    this.db
      .selectFrom('revocations')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst()
      .then((row) => {
        const max = row?.max == null ? 0 : Number(row.max);
        if (max > this.#lastSeen) this.wake();
      })
      .catch(() => undefined);
  }

  private wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

function toEvent(row: {
  id: number | string;
  kind: string;
  value: string;
  expires_at: number | string;
}): RevocationEvent {
  return {
    id: Number(row.id),
    kind: row.kind as RevocationKind,
    value: row.value,
    exp: Math.ceil(ms(row.expires_at) / 1000),
  };
}
