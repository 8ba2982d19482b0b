import type { OrdersService } from '../app.js';
import { notFound, orderResource, requireOwner } from '../order-access.js';
import { ordersErrors } from '../errors.js';
import type { OrdersStore } from '../store/orders-store.js';
import { orderParamsSchema, orderSchema } from './order-schema.js';

/** `POST /orders/:id/cancel` (owner): once; a second cancellation is a 409. Audited `order.cancel`. */
export function registerCancelOrder(app: OrdersService, store: OrdersStore): void {
  app.post(
    '/orders/:id/cancel',
    {
      config: { auth: {} },
      schema: { params: orderParamsSchema, response: { 200: orderSchema } },
    },
    async (request) => {
      const { id } = request.params;
      const resource = orderResource(id);
      await requireOwner(app, request, id, 'order.cancel');
      const result = await store.cancel(id);
      switch (result.outcome) {
        case 'not_found':
          throw notFound(id);
        case 'already_cancelled':
          await request.audit('order.cancel', {
            resource,
            outcome: 'failure',
            details: { why: 'already_cancelled' },
          });
          throw ordersErrors.create('ORDERS_ERR_ALREADY_CANCELLED', {
            detail: `order ${id} was cancelled at ${result.order.cancelledAt ?? 'an earlier time'}`,
          });
        case 'cancelled':
          await request.audit('order.cancel', { resource });
          return result.order;
      }
    },
  );
}
