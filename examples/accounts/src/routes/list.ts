import { Type } from '@rampart/chassis';
import type { AccountsService } from '../app.js';
import type { AccountsStore } from '../store/accounts-store.js';
import { accountSchema } from './account-schema.js';

/** `GET /accounts`: every account, oldest first (admins: permission `accounts:list`). */
export function registerList(app: AccountsService, store: AccountsStore): void {
  app.get(
    '/accounts',
    {
      config: { auth: { permissions: ['accounts:list'] } },
      schema: {
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
        }),
        response: { 200: Type.Object({ accounts: Type.Array(accountSchema) }) },
      },
    },
    async (request) => ({ accounts: await store.list(request.query) }),
  );
}
