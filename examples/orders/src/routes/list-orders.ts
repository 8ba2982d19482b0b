import { Type } from '@rampart/chassis';
import type { OrdersService } from '../app.js';
import type { OrdersStore } from '../store/orders-store.js';
import { orderSchema, orderStatusSchema } from './order-schema.js';

/** `GET /orders`: the orders the caller may read (own and shared ones); admins see every order. */
export function registerListOrders(app: OrdersService, store: OrdersStore): void {
  app.get(
    '/orders',
    {
      config: { auth: {} },
      schema: {
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          status: Type.Optional(orderStatusSchema),
        }),
        response: { 200: Type.Object({ orders: Type.Array(orderSchema) }) },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const ids = app.security.can(principal, 'orders:read:any')
        ? undefined
        : await app.acl.listResources(principal, 'read', 'order');
      return { orders: await store.list({ ...request.query, ids }) };
    },
  );
}
