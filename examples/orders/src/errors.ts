/** Every error code the orders service answers with (application/problem+json). */
import { defineErrors } from '@rampart/chassis';

export const ordersErrors = defineErrors({
  // Also the answer for orders that exist but the caller may not see: existence must not leak.
  ORDERS_ERR_NOT_FOUND: { status: 404, title: 'Order not found' },
  ORDERS_ERR_NOT_OWNER: { status: 403, title: 'Only the order’s owner may do this' },
  ORDERS_ERR_ALREADY_CANCELLED: { status: 409, title: 'Order already cancelled' },
  ORDERS_ERR_INVALID_SHARE: { status: 400, title: 'Invalid share' },
  ORDERS_ERR_ACCOUNT_SUSPENDED: { status: 403, title: 'Account suspended' },
  ORDERS_ERR_ACCOUNT_UNVERIFIED: { status: 403, title: 'Account could not be verified' },
  ORDERS_ERR_ACCOUNTS_UNAVAILABLE: { status: 503, title: 'Accounts service unavailable' },
});

export type OrdersErrorCode = keyof typeof ordersErrors.registry;
