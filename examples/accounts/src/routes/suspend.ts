import { Type } from '@rampart/chassis';
import type { AccountsService } from '../app.js';
import { accountsErrors } from '../errors.js';
import type { AccountsStore } from '../store/accounts-store.js';
import { accountSchema } from './account-schema.js';

/**
 * `POST /accounts/:id/suspend` (permission `accounts:suspend`): a suspended account can no
 * longer order. Every attempt is audited as `account.suspend`, successful or not.
 */
export function registerSuspend(app: AccountsService, store: AccountsStore): void {
  app.post(
    '/accounts/:id/suspend',
    {
      config: { auth: { permissions: ['accounts:suspend'] } },
      schema: {
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 255 }) }),
        body: Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        response: { 200: accountSchema },
      },
      // The body is optional: a bare POST (no reason) is validated as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const { id } = request.params;
      const reason = request.body.reason;
      const resource = `account:${id}`;
      const result = await store.suspend(id, request.principal!.sub, reason);
      switch (result.outcome) {
        case 'not_found':
          await request.audit('account.suspend', {
            resource,
            outcome: 'failure',
            details: { why: 'not_found' },
          });
          throw accountsErrors.create('ACCOUNTS_ERR_NOT_FOUND', { detail: `no account ${id}` });
        case 'already_suspended':
          await request.audit('account.suspend', {
            resource,
            outcome: 'failure',
            details: { why: 'already_suspended' },
          });
          throw accountsErrors.create('ACCOUNTS_ERR_ALREADY_SUSPENDED', {
            detail: `account ${id} was suspended at ${result.account.suspendedAt ?? 'an earlier time'}`,
          });
        case 'suspended':
          await request.audit('account.suspend', { resource, outcome: 'success', details: { reason } });
          return result.account;
      }
    },
  );
}
