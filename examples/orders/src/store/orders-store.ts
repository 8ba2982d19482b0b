/** The orders table through Kysely, so the same queries run on SQLite and PostgreSQL. */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';

export type OrderStatus = 'placed' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = ['placed', 'cancelled'];

export interface OrderItem {
  name: string;
  quantity: number;
}

interface OrderRow {
  id: string;
  owner: string;
  status: OrderStatus;
  /** JSON array of items: one column keeps the schema identical on both databases. */
  items: string;
  created_at: string;
  cancelled_at: string | null;
}

export interface OrdersTables {
  orders: OrderRow;
}

export interface Order {
  id: string;
  owner: string;
  status: OrderStatus;
  items: OrderItem[];
  createdAt: string;
  cancelledAt: string | null;
}

export interface ListOptions {
  limit: number;
  status?: OrderStatus | undefined;
  /** Only these ids (the caller's readable orders); undefined means every order. */
  ids?: readonly string[] | undefined;
}

export type CancelResult =
  | { outcome: 'cancelled'; order: Order }
  | { outcome: 'already_cancelled'; order: Order }
  | { outcome: 'not_found' };

export interface OrdersStore {
  create(owner: string, items: readonly OrderItem[]): Promise<Order>;
  get(id: string): Promise<Order | undefined>;
  /** Newest first. */
  list(options: ListOptions): Promise<Order[]>;
  cancel(id: string): Promise<CancelResult>;
  countByStatus(): Promise<Record<OrderStatus, number>>;
}

function toOrder(row: Selectable<OrderRow>): Order {
  return {
    id: row.id,
    owner: row.owner,
    status: row.status,
    items: JSON.parse(row.items) as OrderItem[],
    createdAt: row.created_at,
    cancelledAt: row.cancelled_at,
  };
}

export function createOrdersStore(db: Kysely<OrdersTables>): OrdersStore {
  const store: OrdersStore = {
    async create(owner, items) {
      const row: OrderRow = {
        // Random, not sequential: ids reveal nothing about other orders (the ACL guards access anyway).
        id: randomUUID(),
        owner,
        status: 'placed',
        items: JSON.stringify(items.map(({ name, quantity }) => ({ name, quantity }))),
        created_at: new Date().toISOString(),
        cancelled_at: null,
      };
      await db.insertInto('orders').values(row).execute();
      return toOrder(row);
    },

    async get(id) {
      const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toOrder(row);
    },

    async list({ limit, status, ids }) {
      if (ids?.length === 0) return [];
      let query = db
        .selectFrom('orders')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit);
      if (ids) query = query.where('id', 'in', ids);
      if (status) query = query.where('status', '=', status);
      return (await query.execute()).map(toOrder);
    },

    async cancel(id) {
      // Compare-and-set on status: of two concurrent cancellations exactly one succeeds.
      const result = await db
        .updateTable('orders')
        .set({ status: 'cancelled', cancelled_at: new Date().toISOString() })
        .where('id', '=', id)
        .where('status', '=', 'placed')
        .executeTakeFirst();
      const order = await store.get(id);
      if (!order) return { outcome: 'not_found' };
      return Number(result.numUpdatedRows) > 0
        ? { outcome: 'cancelled', order }
        : { outcome: 'already_cancelled', order };
    },

    async countByStatus() {
      const rows = await db
        .selectFrom('orders')
        .select((eb) => ['status', eb.fn.countAll<string | number>().as('count')])
        .groupBy('status')
        .execute();
      const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
      for (const row of rows) counts[row.status] = Number(row.count);
      return counts;
    },
  };
  return store;
}
