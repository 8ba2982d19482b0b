import { Type } from '@rampart/chassis';
import type { OrdersService } from '../app.js';
import { ordersErrors } from '../errors.js';
import { orderResource, requireOwner } from '../order-access.js';
import { orderParamsSchema } from './order-schema.js';

/** `POST /orders/:id/share` (owner): grants another user `read` on the order — nothing more. */
export function registerShareOrder(app: OrdersService): void {
  app.post(
    '/orders/:id/share',
    {
      config: { auth: {} },
      schema: {
        params: orderParamsSchema,
        body: Type.Object(
          { sub: Type.String({ minLength: 1, maxLength: 255, pattern: '^\\S+$' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ order: Type.String(), sub: Type.String(), permission: Type.Literal('read') }),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { sub } = request.body;
      const owner = request.principal!.sub;
      await requireOwner(app, request, id, 'order.share');
      if (sub === owner)
        throw ordersErrors.create('ORDERS_ERR_INVALID_SHARE', {
          detail: 'an order cannot be shared with its owner',
        });
      await app.acl.grant(orderResource(id), sub, 'read', { grantedBy: owner });
      await request.audit('order.share', {
        resource: orderResource(id),
        details: { with: sub, permission: 'read' },
      });
      return { order: id, sub, permission: 'read' as const };
    },
  );
}
