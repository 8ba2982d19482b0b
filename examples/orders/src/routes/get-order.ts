import type { OrdersService } from '../app.js';
import { notFound, requireRead } from '../order-access.js';
import type { OrdersStore } from '../store/orders-store.js';
import { orderParamsSchema, orderSchema } from './order-schema.js';

/** `GET /orders/:id`: for its owner, anyone it was shared with, and admins; 404 for everyone else. */
export function registerGetOrder(app: OrdersService, store: OrdersStore): void {
  app.get(
    '/orders/:id',
    {
      config: { auth: {} },
      schema: { params: orderParamsSchema, response: { 200: orderSchema } },
    },
    async (request) => {
      const { id } = request.params;
      await requireRead(app, request, id, 'order.read');
      const order = await store.get(id);
      if (!order) throw notFound(id);
      return order;
    },
  );
}
