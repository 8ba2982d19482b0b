/**
 * Server-side browser sessions in the store's shared state (in-process or Redis): the cookie holds
 * only a random id; the record (tokens, CSRF token) is stored under the id's SHA-256, so a store
 * dump reveals no usable cookie. Access tokens are refreshed shortly before expiry, once per
 * session however many requests arrive together: single-flight in the process, and a short lock
 * in the shared state across gateway instances.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { SharedState } from '@rampart/store';
import type { RelyingParty } from './oidc-client.js';

export interface SessionRecord {
  sub: string;
  accessToken: string;
  /** Seconds since the epoch. */
  accessExpiresAt: number;
  refreshToken: string | undefined;
  idToken: string | undefined;
  csrf: string;
  createdAt: number;
}

export interface SessionStoreOptions {
  shared: SharedState;
  rp: RelyingParty;
  idleTtlSec: number;
  refreshSkewSec: number;
  onRefresh?: (outcome: 'success' | 'failure' | 'waited') => void;
  onError?: (error: unknown) => void;
}

const LOCK_TTL_MS = 10_000;
const WAIT_STEP_MS = 25;

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const key = (id: string) => `session:${createHash('sha256').update(id).digest('base64url')}`;
const now = () => Math.floor(Date.now() / 1000);

export class SessionStore {
  readonly #inflight = new Map<string, Promise<SessionRecord | undefined>>();
  readonly #instance = randomUUID();

  constructor(private readonly options: SessionStoreOptions) {}

  async create(
    tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  ): Promise<{ id: string; record: SessionRecord }> {
    const id = newSessionId();
    const record: SessionRecord = {
      sub: tokens.claims()?.sub ?? '',
      accessToken: tokens.access_token,
      accessExpiresAt: now() + (tokens.expiresIn() ?? 300),
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
      csrf: randomBytes(24).toString('base64url'),
      createdAt: now(),
    };
    await this.#save(id, record);
    return { id, record };
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const raw = await this.options.shared.get(key(id));
    return raw === null ? undefined : (JSON.parse(raw) as SessionRecord);
  }

  async delete(id: string): Promise<SessionRecord | undefined> {
    const record = await this.get(id);
    await this.options.shared.delete(key(id));
    return record;
  }

  /** The session with an access token that is not about to expire, refreshing it when needed. */
  async fresh(id: string): Promise<SessionRecord | undefined> {
    const record = await this.get(id);
    if (!record) return undefined;
    if (record.accessExpiresAt - this.options.refreshSkewSec > now()) return record;
    let pending = this.#inflight.get(id);
    if (!pending) {
      pending = this.#refresh(id, record).finally(() => this.#inflight.delete(id));
      this.#inflight.set(id, pending);
    }
    return pending;
  }

  async #refresh(id: string, stale: SessionRecord): Promise<SessionRecord | undefined> {
    const { shared } = this.options;
    const lock = `${key(id)}:refresh`;
    if (!(await shared.setIfAbsent(lock, this.#instance, { ttlMs: LOCK_TTL_MS }))) {
      // Another instance is refreshing: wait for its result rather than spend the refresh token twice.
      this.options.onRefresh?.('waited');
      return this.#waitForOther(id, stale);
    }
    try {
      const current = (await this.get(id)) ?? stale;
      if (current.accessExpiresAt - this.options.refreshSkewSec > now()) return current;
      if (!current.refreshToken) return this.#usable(current);
      const config = await this.options.rp.configuration();
      const tokens = await oidc.refreshTokenGrant(config, current.refreshToken);
      const next: SessionRecord = {
        ...current,
        accessToken: tokens.access_token,
        accessExpiresAt: now() + (tokens.expiresIn() ?? 300),
        refreshToken: tokens.refresh_token ?? current.refreshToken,
        idToken: tokens.id_token ?? current.idToken,
      };
      await this.#save(id, next);
      this.options.onRefresh?.('success');
      return next;
    } catch (error) {
      this.options.onRefresh?.('failure');
      this.options.onError?.(error);
      // The grant was refused (revoked, expired, reused): the session is over.
      if (error instanceof oidc.ResponseBodyError) {
        await shared.delete(key(id));
        return undefined;
      }
      return this.#usable(stale);
    } finally {
      await shared.delete(lock);
    }
  }

  async #waitForOther(id: string, stale: SessionRecord): Promise<SessionRecord | undefined> {
    const deadline = Date.now() + LOCK_TTL_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
      const current = await this.get(id);
      if (!current) return undefined;
      if (current.accessToken !== stale.accessToken) return current;
    }
    return this.#usable(stale);
  }

  /** Never relay an expired token: a session whose refresh failed serves only until its token expires. */
  #usable(record: SessionRecord): SessionRecord | undefined {
    return record.accessExpiresAt > now() ? record : undefined;
  }

  async touch(id: string, record: SessionRecord): Promise<void> {
    await this.#save(id, record);
  }

  async #save(id: string, record: SessionRecord): Promise<void> {
    await this.options.shared.set(key(id), JSON.stringify(record), { ttlMs: this.options.idleTtlSec * 1000 });
  }
}
