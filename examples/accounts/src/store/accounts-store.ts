/** The accounts table through Kysely, so the same queries run on SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';

export type AccountStatus = 'active' | 'suspended';

interface AccountRow {
  id: string;
  status: AccountStatus;
  created_at: string;
  suspended_at: string | null;
  suspended_by: string | null;
  suspend_reason: string | null;
}

export interface AccountsTables {
  accounts: AccountRow;
}

export interface Account {
  id: string;
  status: AccountStatus;
  createdAt: string;
  suspendedAt: string | null;
}

export type SuspendResult =
  | { outcome: 'suspended'; account: Account }
  | { outcome: 'not_found' }
  | { outcome: 'already_suspended'; account: Account };

export interface AccountsStore {
  /** The account of `id`, created active on first use (concurrent first calls create one row). */
  findOrCreate(id: string): Promise<Account>;
  list(options: { limit: number; status?: AccountStatus | undefined }): Promise<Account[]>;
  suspend(id: string, by: string, reason: string | undefined): Promise<SuspendResult>;
}

function toAccount(row: Selectable<AccountRow>): Account {
  return { id: row.id, status: row.status, createdAt: row.created_at, suspendedAt: row.suspended_at };
}

export function createAccountsStore(db: Kysely<AccountsTables>): AccountsStore {
  const find = (id: string) => db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();

  return {
    async findOrCreate(id) {
      const existing = await find(id);
      if (existing) return toAccount(existing);
      await db
        .insertInto('accounts')
        .values({ id, status: 'active', created_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const row = await find(id);
      if (!row) throw new Error(`account ${id} vanished right after it was created`);
      return toAccount(row);
    },

    async list({ limit, status }) {
      let query = db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').limit(limit);
      if (status) query = query.where('status', '=', status);
      return (await query.execute()).map(toAccount);
    },

    async suspend(id, by, reason) {
      // The status condition makes this a compare-and-set: of two concurrent suspensions one wins.
      const result = await db
        .updateTable('accounts')
        .set({
          status: 'suspended',
          suspended_at: new Date().toISOString(),
          suspended_by: by,
          suspend_reason: reason ?? null,
        })
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      const row = await find(id);
      if (!row) return { outcome: 'not_found' };
      return Number(result.numUpdatedRows) > 0
        ? { outcome: 'suspended', account: toAccount(row) }
        : { outcome: 'already_suspended', account: toAccount(row) };
    },
  };
}
