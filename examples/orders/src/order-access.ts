/**
 * Who may do what to an order: the ACL decides (owner implies everything; a share grants `read`),
 * plus admins' `orders:read:any`. A caller who may not read an order gets the same 404 as for
 * an order that does not exist, so ids cannot be probed; every refusal is audited.
 */
import type { FastifyRequest } from 'fastify';
import type { OrdersService } from './app.js';
import { ordersErrors } from './errors.js';

export const orderResource = (id: string) => `order:${id}`;

export const notFound = (id: string) =>
  ordersErrors.create('ORDERS_ERR_NOT_FOUND', { detail: `no order ${id}` });

export async function mayRead(app: OrdersService, request: FastifyRequest, id: string): Promise<boolean> {
  const principal = request.principal;
  return (
    app.security.can(principal, 'orders:read:any') ||
    (await app.acl.check(principal, 'read', orderResource(id)))
  );
}

/** Throws the 404 (audited as `action`, outcome `denied`) unless the caller may read the order. */
export async function requireRead(
  app: OrdersService,
  request: FastifyRequest,
  id: string,
  action: string,
): Promise<void> {
  if (await mayRead(app, request, id)) return;
  await request.audit(action, {
    resource: orderResource(id),
    outcome: 'denied',
    details: { why: 'no_read' },
  });
  throw notFound(id);
}

/**
 * Throws unless the caller owns the order: 404 when they cannot even read it, 403 when they can
 * (a share or an admin) — they already know it exists. Both refusals are audited as `action`.
 */
export async function requireOwner(
  app: OrdersService,
  request: FastifyRequest,
  id: string,
  action: string,
): Promise<void> {
  if (await app.acl.check(request.principal, 'owner', orderResource(id))) return;
  await requireRead(app, request, id, action);
  await request.audit(action, {
    resource: orderResource(id),
    outcome: 'denied',
    details: { why: 'not_owner' },
  });
  throw ordersErrors.create('ORDERS_ERR_NOT_OWNER');
}
