/** `UserStore` over the people side's tables (what the token endpoint and introspection read). */
import { batchedLookup } from '../lib/batched-lookup.js';
import type { AnyDb } from './tables.js';
import { findUsersById } from './user-record.js';
import type { UserRecord, UserStore } from './user-store.js';

export class SqlUserStore implements UserStore {
  // Look-ups in one event-loop turn (a burst of token requests) share one query per table.
  readonly #find: (id: string) => Promise<UserRecord | undefined>;

  constructor(database: AnyDb) {
    this.#find = batchedLookup((ids) => findUsersById(database, ids));
  }

  findById(id: string) {
    return this.#find(id);
  }
}
