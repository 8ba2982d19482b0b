import { RampartError, Type } from '@rampart/chassis';
import type { OrdersService } from '../app.js';
import { requireActiveAccount } from '../account-check.js';
import { orderResource } from '../order-access.js';
import type { OrdersStore } from '../store/orders-store.js';
import { MAX_ITEMS, orderItemSchema, orderSchema } from './order-schema.js';

/**
 * `POST /orders` (customers): checks the caller's account with accounts (propagated identity),
 * stores the order, makes the caller its owner in the ACL, and audits `order.create`.
 */
export function registerCreateOrder(app: OrdersService, store: OrdersStore): void {
  app.post(
    '/orders',
    {
      config: { auth: { permissions: ['orders:create'] } },
      schema: {
        body: Type.Object(
          { items: Type.Array(orderItemSchema, { minItems: 1, maxItems: MAX_ITEMS }) },
          { additionalProperties: false },
        ),
        response: { 201: orderSchema },
      },
    },
    async (request, reply) => {
      const sub = request.principal!.sub;
      try {
        await requireActiveAccount(app, request);
      } catch (error) {
        if (error instanceof RampartError)
          await request.audit('order.create', {
            outcome: error.status === 403 ? 'denied' : 'failure',
            details: { why: error.code },
          });
        throw error;
      }
      const order = await store.create(sub, request.body.items);
      await app.acl.grant(orderResource(order.id), sub, 'owner');
      await request.audit('order.create', {
        resource: orderResource(order.id),
        details: { items: order.items.length },
      });
      return reply.code(201).header('location', `/orders/${order.id}`).send(order);
    },
  );
}
