import { Type } from '@rampart/chassis';
import type { OrdersService } from '../app.js';
import type { OrdersStore } from '../store/orders-store.js';

/**
 * `GET /orders/stats`: order counts by status, for service accounts (client-credentials tokens)
 * holding scope `orders:stats` — user tokens are refused whatever their scopes.
 */
export function registerOrderStats(app: OrdersService, store: OrdersStore): void {
  app.get(
    '/orders/stats',
    {
      config: { auth: { kind: 'service', scopes: ['orders:stats'] } },
      schema: {
        response: {
          200: Type.Object({
            total: Type.Integer(),
            byStatus: Type.Object({ placed: Type.Integer(), cancelled: Type.Integer() }),
          }),
        },
      },
    },
    async () => {
      const byStatus = await store.countByStatus();
      return { total: byStatus.placed + byStatus.cancelled, byStatus };
    },
  );
}
