/**
 * Asks the accounts service, with the caller's own token (identity propagation), whether the
 * caller's account may order. Any failure to get an answer is a 503 — never a 500, and never
 * "allowed": the check fails closed.
 */
import { ServiceClientError } from '@rampart/chassis';
import type { FastifyRequest } from 'fastify';
import type { OrdersService } from './app.js';
import { ordersErrors } from './errors.js';

interface AccountView {
  id?: unknown;
  status?: unknown;
}

const unavailable = (detail: string, cause?: unknown) =>
  ordersErrors.create('ORDERS_ERR_ACCOUNTS_UNAVAILABLE', {
    detail,
    cause,
    headers: { 'retry-after': '5' },
  });

/** Resolves when the caller's account is active; throws an `ORDERS_ERR_…` error otherwise. */
export async function requireActiveAccount(app: OrdersService, request: FastifyRequest): Promise<void> {
  let response;
  try {
    response = await app
      .client('accounts')
      .get<AccountView>('/accounts/me', { principal: request.principal, requestId: String(request.id) });
  } catch (error) {
    if (!(error instanceof ServiceClientError)) throw error;
    request.log.warn({ err: error, peer: 'accounts' }, 'account check failed');
    throw unavailable('The accounts service did not answer; try again shortly.', error);
  }
  const { status, body } = response;
  if (status === 401 || status === 403)
    // Typically a token whose aud does not name accounts, or one accounts already knows is revoked.
    throw ordersErrors.create('ORDERS_ERR_ACCOUNT_UNVERIFIED', {
      detail: 'The accounts service refused the caller’s token.',
    });
  if (status !== 200 || typeof body !== 'object' || body === null) {
    request.log.warn({ peer: 'accounts', status }, 'account check got an unexpected answer');
    throw unavailable('The accounts service gave no usable answer; try again shortly.');
  }
  if (body.status === 'suspended')
    throw ordersErrors.create('ORDERS_ERR_ACCOUNT_SUSPENDED', {
      detail: 'This account is suspended and cannot place orders.',
    });
  if (body.status !== 'active') throw unavailable('The accounts service gave no usable answer.');
}
