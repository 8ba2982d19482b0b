/**
 * The orders demo service: customers place orders (after accounts confirms their account is
 * active), share them read-only and cancel them; the ACL decides who sees which order.
 */
import { createService, type CreateServiceOptions, type Service } from '@rampart/chassis';
import type { Kysely } from 'kysely';
import {
  ORDERS_DEFAULT_PORT,
  ORDERS_PEERS,
  ORDERS_PERMISSIONS,
  ordersConfigSchema,
} from './config-schema.js';
import { ordersMigrations } from './migrations/index.js';
import { registerCancelOrder } from './routes/cancel-order.js';
import { registerCreateOrder } from './routes/create-order.js';
import { registerGetOrder } from './routes/get-order.js';
import { registerListOrders } from './routes/list-orders.js';
import { registerOrderStats } from './routes/order-stats.js';
import { registerShareOrder } from './routes/share-order.js';
import { createOrdersStore, type OrdersTables } from './store/orders-store.js';

export type OrdersService = Service<typeof ordersConfigSchema>;

export type BuildOrdersOptions = Omit<
  CreateServiceOptions<typeof ordersConfigSchema>,
  'name' | 'config' | 'database' | 'security' | 'services'
>;

export async function buildOrders(options: BuildOrdersOptions = {}): Promise<OrdersService> {
  const app = await createService({
    name: 'orders',
    version: '0.1.0',
    config: ordersConfigSchema,
    defaultPort: ORDERS_DEFAULT_PORT,
    database: { migrations: ordersMigrations },
    security: { permissions: ORDERS_PERMISSIONS },
    services: ORDERS_PEERS,
    ...options,
  });
  const store = createOrdersStore(app.db as Kysely<OrdersTables>);
  registerCreateOrder(app, store);
  registerListOrders(app, store);
  registerOrderStats(app, store);
  registerGetOrder(app, store);
  registerShareOrder(app);
  registerCancelOrder(app, store);
  return app;
}
