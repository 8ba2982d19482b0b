export { buildOrders, type OrdersService, type BuildOrdersOptions } from './app.js';
export {
  ordersConfigSchema,
  ordersFeatures,
  ORDERS_DEFAULT_PORT,
  ORDERS_PEERS,
  ORDERS_PERMISSIONS,
} from './config-schema.js';
export { ordersErrors, type OrdersErrorCode } from './errors.js';
export { ordersMigrations } from './migrations/index.js';
