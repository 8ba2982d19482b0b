/** `UserStore` over the people side's tables (what the token endpoint and introspection read). */
import type { AnyDb } from './tables.js';
import { findUserById } from './user-record.js';
import type { UserStore } from './user-store.js';

export class SqlUserStore implements UserStore {
  constructor(private readonly database: AnyDb) {}

  findById(id: string) {
    return findUserById(this.database, id);
  }
}
