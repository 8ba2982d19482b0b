import type { AccountsService } from '../app.js';
import type { AccountsStore } from '../store/accounts-store.js';
import { accountSchema } from './account-schema.js';

/**
 * `GET /accounts/me`: the caller's own account, created on first use. The orders service calls it
 * with the user's propagated token to learn whether the user may order.
 */
export function registerMe(app: AccountsService, store: AccountsStore): void {
  app.get(
    '/accounts/me',
    { config: { auth: {} }, schema: { response: { 200: accountSchema } } },
    async (request) => store.findOrCreate(request.principal!.sub),
  );
}
